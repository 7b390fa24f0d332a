"""The registry's unique rules as unique indexes rather than table constraints.

The same rules; on SQLite a unique constraint lives in the table's definition and cannot be
dropped, a unique index can: a first load (core.bulk.indexes_built_after) then builds it once
after the rows instead of inserting a million random blind indexes one by one. PostgreSQL
keeps the blind index's "C" collation (0006): it belongs to the column, not the index.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0001_initial"),
        ("registry", "0007_income_amounts_not_negative"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="household",
            name="household_number_unique_in_county",
        ),
        migrations.RemoveConstraint(
            model_name="householdevent",
            name="household_event_one_a_day",
        ),
        migrations.RemoveConstraint(
            model_name="incomerecord",
            name="income_household_year",
        ),
        migrations.RemoveConstraint(
            model_name="person",
            name="person_id_index_unique",
        ),
        migrations.AddConstraint(
            model_name="household",
            constraint=models.UniqueConstraint(
                models.F("county_code"),
                models.F("number"),
                name="household_number_unique_in_county",
            ),
        ),
        migrations.AddConstraint(
            model_name="householdevent",
            constraint=models.UniqueConstraint(
                models.F("household"), models.F("date"), name="household_event_one_a_day"
            ),
        ),
        migrations.AddConstraint(
            model_name="incomerecord",
            constraint=models.UniqueConstraint(
                models.F("household"), models.F("year"), name="income_household_year"
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(models.F("id_index"), name="person_id_index_unique"),
        ),
    ]
