"""Before the pain point of a check-in, a suggestion and a survey becomes a foreign key (0003): ids
of pain points that no longer exist are cleared where the field may be empty (check-ins,
suggestions), and the surveys about them are deleted (a survey means nothing without its pain
point). A migration of its own: PostgreSQL refuses to alter a table in the transaction that
updated its rows.
"""

from django.db import migrations


def clear_orphans(apps, schema_editor):
    existing = apps.get_model("listening", "PainPoint").objects.values("pk")
    for name in ("CheckIn", "ProblemSuggestion"):
        model = apps.get_model("extramile", name)
        model.objects.filter(pain_point_id__isnull=False).exclude(pain_point_id__in=existing).update(pain_point_id=None)
    apps.get_model("extramile", "ResolutionSurvey").objects.exclude(pain_point_id__in=existing).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("extramile", "0001_initial"),
        ("listening", "0002_pain_point_list_indexes"),
    ]

    operations = [migrations.RunPython(clear_orphans, migrations.RunPython.noop)]
