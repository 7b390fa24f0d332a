"""PostgreSQL: compare blind indexes byte by byte (collation "C").

A blind index is hex text, so every collation sorts it alike; but under the database's
default collation (C.UTF-8 or a locale) PostgreSQL compares through the C library and
cannot use abbreviated keys: building the unique index over a million persons took twice
as long, and each uniqueness probe pays the same. SQLite compares bytes already. The
model does not say so (a model field cannot name a collation for one backend only); a
later migration that alters the column must keep it.
"""

from django.db import migrations


def collation(name):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                "ALTER TABLE registry_person ALTER COLUMN id_index "
                f'TYPE varchar(40) COLLATE "{name}"'
            )

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_income_declared"),
    ]

    operations = [
        migrations.RunPython(collation("C"), collation("default")),
    ]
