"""The three groups and their permissions.

Brought up to date after every migrate or flush (``records.apps``), so a model
added later gets its permissions too, and a test database flushed between
browser tests still has its groups.
"""

from django.contrib.auth.management import create_permissions

from .permissions import APPS, GROUP_PERMISSIONS


def _ensure_permissions(apps):
    # Permissions are normally made app by app after migrate; the groups need
    # every app's now. The installed app configs say which models there are.
    from django.apps import apps as installed

    for label in ["auth", "axes", "otp_totp", *APPS]:
        create_permissions(installed.get_app_config(label), verbosity=0, apps=apps)


def sync_groups(apps):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    viewing = Permission.objects.filter(
        content_type__app_label__in=APPS, codename__startswith="view_"
    )
    for name, perms in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        if perms == "__all__":
            # Admins also see and clear sign-in lockouts (django-axes). Users and groups are a
            # superuser's job: an admin who could change them could make anyone a superuser.
            # And remove a lost phone's authenticator (django-otp).
            granted = Permission.objects.filter(
                content_type__app_label__in=[*APPS, "axes", "otp_totp"]
            )
        else:
            granted = list(viewing)
            for perm in perms:
                app_label, codename = perm.split(".")
                granted.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
        group.permissions.set(granted)


def sync_groups_after_migrate(sender, **kwargs):
    """post_migrate receiver; runs after auth's, which creates the permissions.

    It uses the installed models, not the migration's: every migration has run by
    then, and so a group's creation is kept in its audit history.
    """
    from django.apps import apps

    sync_groups(apps)
