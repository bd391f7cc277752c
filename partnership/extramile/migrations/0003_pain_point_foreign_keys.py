"""The pain point of a check-in, a repeated-problem suggestion and a survey becomes a foreign key.

Each integer column `pain_point_id` becomes the column of a foreign key, keeping its name and
values (0002 cleared the orphans): the database gains the constraint and an index; the state
renames the field from `pain_point_id` to `pain_point`.
"""

import django.db.models.deletion
from django.db import migrations, models


def foreign_key(model_name, on_delete, related_name, unique=None, **options):
    """The integer `pain_point_id` becomes a foreign key on the same column, in the database and in the
    state. A `unique` constraint naming the field leaves the state while the field changes its name
    (the database keeps it as it is: same name, same columns)."""
    key = dict(to="listening.painpoint", on_delete=on_delete, related_name=related_name, **options)
    renamed = [
        migrations.RemoveField(model_name=model_name, name="pain_point_id"),
        migrations.AddField(model_name=model_name, name="pain_point", field=models.ForeignKey(**key)),
    ]
    if unique is not None:
        renamed = [
            migrations.RemoveConstraint(model_name=model_name, name=unique.name),
            *renamed,
            migrations.AddConstraint(model_name=model_name, constraint=unique),
        ]
    return migrations.SeparateDatabaseAndState(
        database_operations=[
            migrations.AlterField(
                model_name=model_name, name="pain_point_id", field=models.ForeignKey(db_column="pain_point_id", **key)
            ),
        ],
        state_operations=renamed,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("extramile", "0002_clear_orphan_pain_point_ids"),
        ("listening", "0002_pain_point_list_indexes"),
    ]

    operations = [
        foreign_key(
            "checkin", django.db.models.deletion.SET_NULL, "check_ins", blank=True, null=True,
            help_text="The pain point a 'no' created.",
        ),
        foreign_key(
            "problemsuggestion", django.db.models.deletion.SET_NULL, "repeat_suggestions", blank=True, null=True,
            help_text="The pain point with many votes.",
        ),
        foreign_key(
            "resolutionsurvey", django.db.models.deletion.CASCADE, "resolution_surveys",
            unique=models.UniqueConstraint(fields=("pain_point", "respondent"), name="extramile_survey_once_per_person"),
        ),
    ]
