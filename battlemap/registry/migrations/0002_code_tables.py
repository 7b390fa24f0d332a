"""Load the national code tables (data, not literals in code)."""

from django.db import migrations


def load(apps, schema_editor):
    from battlemap.registry.codebook import load_code_tables

    load_code_tables(apps.get_model("registry", "Code"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
