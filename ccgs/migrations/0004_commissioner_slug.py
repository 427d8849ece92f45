from django.db import migrations, models
from django.utils.text import slugify


def fill_slugs(apps, schema_editor):
    # A historical model has no custom save(), so the slug is made here as save() makes it.
    # Written with a plain save on purpose: a schema change, not a change to the record.
    Commissioner = apps.get_model("ccgs", "Commissioner")
    for commissioner in Commissioner.objects.all():
        commissioner.slug = slugify(commissioner.name)[:80]
        commissioner.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("ccgs", "0003_alter_ccg_options_alter_commissioner_options_and_more"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="commissioner",
            options={"base_manager_name": "objects", "ordering": ["pk"]},
        ),
        migrations.AddField(
            model_name="commissioner",
            name="slug",
            # No index yet: the unique one below makes it (two would clash on PostgreSQL,
            # both named ..._like).
            field=models.SlugField(blank=True, db_index=False, max_length=80, null=True),
        ),
        migrations.AddField(
            model_name="historicalcommissioner",
            name="slug",
            field=models.SlugField(
                blank=True,
                default="",
                help_text="How addresses name it (?arrangement=...); made from the name when left empty.",
                max_length=80,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="commissioner",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="How addresses name it (?arrangement=...); made from the name when left empty.",
                max_length=80,
                unique=True,
            ),
        ),
    ]
