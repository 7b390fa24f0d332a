"""The household's guarantee flags become the first entry of each guarantee's history.

Dated from the record's last update, not from identification: the flags say what the
registry held when they were last written, and a household identified as poor was, as
a rule, not secure then — dating them at identification would claim it was. The last
update is the latest audit record that wrote the household (register or update); a
household written only in bulk has no record of its own and is dated the day of this
migration: what is known is that it holds from then on, and the days before read as
not assessed (未评估) rather than as a guess. 不愁吃穿 is one flag and two guarantees.
"""

from django.db import migrations
from django.db.models import Max
from django.utils import timezone

FLAGS = {
    "food": "food_clothing_secure",
    "clothing": "food_clothing_secure",
    "education": "education_secure",
    "medical": "medical_secure",
    "housing": "housing_secure",
    "water": "water_secure",
}
BATCH = 5000


def forward(apps, schema_editor):
    Household = apps.get_model("registry", "Household")
    Assessment = apps.get_model("registry", "GuaranteeAssessment")
    AuditRecord = apps.get_model("audit", "AuditRecord")
    written = {
        object_id: timezone.localdate(at)
        for object_id, at in AuditRecord.objects.filter(
            object_type="registry.household",
            action__in=["household.register", "household.update"],
        )
        .values("object_id")
        .annotate(last=Max("at"))
        .values_list("object_id", "last")
    }
    today = timezone.localdate()
    rows = []
    fields = ["id", *sorted(set(FLAGS.values()))]
    for household in Household.objects.order_by("id").values(*fields).iterator(BATCH):
        date = written.get(str(household["id"]), today)
        rows.extend(
            Assessment(
                household_id=household["id"],
                guarantee=guarantee,
                date=date,
                secure=household[flag],
                note="",
                assessor="command:migrate",
            )
            for guarantee, flag in FLAGS.items()
        )
        if len(rows) >= BATCH:
            Assessment.objects.bulk_create(rows, batch_size=500)
            rows = []
    Assessment.objects.bulk_create(rows, batch_size=500)


def backward(apps, schema_editor):
    apps.get_model("registry", "GuaranteeAssessment").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0009_guarantee_assessments"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
