from django.db import migrations

from kmcommission.groups import sync_groups_in_migration


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("ccgs", "0002_initial"),
        ("decisions", "0001_initial"),
        ("roles", "0001_initial"),
        ("scrutiny", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_groups_in_migration, migrations.RunPython.noop)]
