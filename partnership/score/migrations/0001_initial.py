"""The score models, moved from the partnership app: their tables stay as they are.

State only (`SeparateDatabaseAndState` with no database operation): each model keeps its
`db_table`; the content types are relabelled in place, so permissions and generic links stay.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from partnership.migrations._content_types import content_type_mover


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('partnership', '0008_extramile_reminder_indexes'),
        ('auth', '0012_alter_user_first_name_max_length'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ScoreConfig',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('version', models.PositiveIntegerField(unique=True)),
                        ('weights', models.JSONField(blank=True, default=dict, help_text='Pillar key -> weight (default 1).')),
                        ('targets', models.JSONField(blank=True, default=dict, help_text="Indicator key -> target (default: the indicator's own).")),
                        ('note', models.CharField(blank=True, max_length=200)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'partnership_scoreconfig',
                        'ordering': ['-version'],
                    },
                ),
                migrations.CreateModel(
                    name='PulseResponse',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('quarter', models.CharField(help_text='For example 2026-Q4.', max_length=7)),
                        ('understands', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='IT understands our problems')),
                        ('delivers', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='IT delivers what it promises')),
                        ('partner', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='IT is a partner, not a supplier')),
                        ('comment', models.TextField(blank=True, max_length=2000)),
                        ('business_unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='partnership.businessunit')),
                        ('respondent', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pulse_responses', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'partnership_pulseresponse',
                        'ordering': ['-quarter', '-created_at'],
                        'constraints': [models.UniqueConstraint(fields=('respondent', 'quarter'), name='pulse_once_a_quarter')],
                    },
                ),
                migrations.CreateModel(
                    name='ScoreSnapshot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(db_index=True)),
                        ('window_days', models.PositiveIntegerField(default=90)),
                        ('overall', models.FloatField(blank=True, null=True)),
                        ('band', models.CharField(max_length=40)),
                        ('pillars', models.JSONField(default=dict)),
                        ('indicators', models.JSONField(default=dict, help_text='Indicator key -> {value, score, records}.')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('business_unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.businessunit')),
                        ('config', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='snapshots', to='score.scoreconfig')),
                    ],
                    options={
                        'db_table': 'partnership_scoresnapshot',
                        'ordering': ['date'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('business_unit__isnull', False)), fields=('date', 'business_unit', 'window_days'), name='score_snapshot_once_a_day_per_unit'), models.UniqueConstraint(condition=models.Q(('business_unit__isnull', True)), fields=('date', 'window_days'), name='score_snapshot_once_a_day_overall')],
                    },
                ),
            ],
        ),
        migrations.RunPython(
            *content_type_mover(
                'score',
                [
                    'scoreconfig',
                    'scoresnapshot',
                    'pulseresponse',
                ],
            )
        ),
    ]
