import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from records.permissions import ADMINS, SCRUTINY, STP_STAFF

DEMO_USERS = [
    # username, full name, group, may use the Django admin
    ("staff", ("Sam", "Staff (demo)"), STP_STAFF, False),
    ("scrutiny", ("Sandy", "Scrutiny (demo)"), SCRUTINY, False),
    ("admin", ("Alex", "Admin (demo)"), ADMINS, True),
]


class Command(BaseCommand):
    help = "Create one demo user per group with a fresh random password, and print the logins."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo users are for local demonstration only (DEBUG=true).")
        User = get_user_model()
        self.stdout.write("Demo logins (new passwords each run):")
        for username, (first, last), group, is_staff in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name, user.is_staff = first, last, is_staff
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=group)])
            self.stdout.write(f"  {group:<10} username: {username:<9} password: {password}")
