"""Load the national code tables (data, not literals in code)."""

from django.db import migrations


def load(apps, schema_editor):
    from battlemap.registry.codebook import TABLES

    Code = apps.get_model("registry", "Code")
    for table, entries in TABLES.items():
        for sort, (label, label_en) in enumerate(entries):
            Code.objects.update_or_create(
                table=table, label=label, defaults={"label_en": label_en, "sort": sort}
            )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
