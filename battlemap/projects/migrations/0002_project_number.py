"""Projects get their key, the project number (项目编号), unique in a county and year.

Existing projects are numbered the way project_create numbers new ones
(projects.rules.project_number): per county and year, in the order they entered (id).
"""

import django.db.models.functions.text
from django.db import migrations, models


def number_existing(apps, schema_editor):
    from battlemap.projects.rules import project_number

    Project = apps.get_model("projects", "Project")
    taken: dict[tuple[str, int], list[str]] = {}
    for project in Project.objects.order_by("id").only(
        "id", "year", "region_id"
    ):
        key = (project.region_id[:6], project.year)
        numbers = taken.setdefault(key, [])
        number = project_number(key[0], key[1], numbers[-1:])
        numbers.append(number)
        Project.objects.filter(pk=project.pk).update(number=number)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="project",
            name="number",
            field=models.CharField(default="", max_length=40, verbose_name="项目编号"),
            preserve_default=False,
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="project",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Substr("region", 1, 6),
                models.F("year"),
                models.F("number"),
                name="project_number_unique_in_county_year",
            ),
        ),
    ]
