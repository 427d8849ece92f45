"""Create the three groups and give them their permissions; run by a data migration."""

from django.contrib.auth.management import create_permissions

from .permissions import APPS, GROUP_PERMISSIONS


def sync_groups(apps, schema_editor=None):
    # Permissions are normally made after migrate finishes; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    viewing = Permission.objects.filter(
        content_type__app_label__in=APPS, codename__startswith="view_"
    )
    for name, perms in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        if perms == "__all__":
            granted = Permission.objects.filter(content_type__app_label__in=APPS + ["auth"])
        else:
            granted = list(viewing)
            for perm in perms:
                app_label, codename = perm.split(".")
                granted.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
        group.permissions.set(granted)
