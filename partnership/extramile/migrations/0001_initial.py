"""The extramile models, moved from the partnership app: their tables stay as they are.

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
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ExtraMileAction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('kind', models.CharField(choices=[('extra_analysis', 'Extra analysis'), ('longer_data_period', 'Longer data period'), ('post_downtime_check', 'Post-downtime check'), ('manual_faq', 'Manual or FAQ'), ('training', 'Training'), ('other', 'Other')], max_length=30)),
                        ('title', models.CharField(max_length=200)),
                        ('description', models.TextField(blank=True, help_text='What was done beyond the request, in a sentence or two.')),
                        ('status', models.CharField(choices=[('planned', 'Planned'), ('done', 'Done')], db_index=True, default='done', max_length=10)),
                        ('performed_on', models.DateField(default=django.utils.timezone.localdate, help_text='When it was done (or is planned, for a planned action).', verbose_name='date')),
                        ('effort_hours', models.DecimalField(decimal_places=1, default=0, max_digits=6, validators=[django.core.validators.MinValueValidator(0, message='Effort cannot be negative.')], verbose_name='effort (hours)')),
                        ('subject_id', models.PositiveBigIntegerField(blank=True, null=True)),
                        ('external_ref', models.CharField(blank=True, help_text="A ticket it followed, e.g. 'JIRA-1234'.", max_length=200, verbose_name='external ticket')),
                        ('evidence_url', models.URLField(blank=True, max_length=500, verbose_name='evidence link')),
                        ('business_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='extra_mile_actions', to='partnership.businessunit')),
                        ('performed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='extra_mile_actions', to=settings.AUTH_USER_MODEL, verbose_name='performed by')),
                        ('recipients', models.ManyToManyField(blank=True, help_text='The business people it was done for; they are asked to confirm and rate it.', related_name='received_extra_mile_actions', to=settings.AUTH_USER_MODEL)),
                        ('subject_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype')),
                    ],
                    options={
                        'db_table': 'partnership_extramileaction',
                        'ordering': ['-performed_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ExtraMileRating',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('rating', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1, message='Give a rating from 1 to 5.'), django.core.validators.MaxValueValidator(5, message='Give a rating from 1 to 5.')])),
                        ('comment', models.TextField(blank=True)),
                        ('action', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ratings', to='extramile.extramileaction')),
                        ('rated_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='extra_mile_ratings', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'partnership_extramilerating',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='MaintenanceWindow',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('system', models.CharField(help_text="e.g. 'SAP ERP' or 'CRM and web shop'.", max_length=200)),
                        ('description', models.TextField(blank=True, help_text='What was done, and what users might notice.')),
                        ('starts_at', models.DateTimeField(verbose_name='start')),
                        ('ends_at', models.DateTimeField(verbose_name='end')),
                        ('check_ins_created_at', models.DateTimeField(blank=True, help_text='When the check-ins were created (empty until the window has ended).', null=True)),
                        ('business_units', models.ManyToManyField(related_name='maintenance_windows', to='partnership.businessunit', verbose_name='business units affected')),
                        ('key_users', models.ManyToManyField(help_text='Each gets a check-in when the window has ended.', related_name='maintenance_windows_as_key_user', to=settings.AUTH_USER_MODEL)),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'partnership_maintenancewindow',
                        'ordering': ['-starts_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='CheckIn',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('due_at', models.DateTimeField(help_text='Answer by then; EXTRAMILE_CHECKIN_DUE_HOURS after the window ended.')),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('ok', 'Running correctly'), ('problem', 'Problem reported')], db_index=True, default='pending', max_length=10)),
                        ('systems_ok', models.BooleanField(blank=True, null=True, verbose_name='systems running correctly')),
                        ('problem', models.TextField(blank=True, verbose_name='what is wrong')),
                        ('answered_at', models.DateTimeField(blank=True, null=True)),
                        ('pain_point_id', models.PositiveBigIntegerField(blank=True, help_text="The pain point a 'no' created (listening.PainPoint primary key).", null=True)),
                        ('notified_at', models.DateTimeField(blank=True, help_text='When the key user was asked.', null=True)),
                        ('answered_by', models.ForeignKey(blank=True, help_text='The key user, or IT answering on their behalf after a call.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('key_user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='check_ins', to=settings.AUTH_USER_MODEL)),
                        ('window', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='check_ins', to='extramile.maintenancewindow')),
                    ],
                    options={
                        'verbose_name': 'check-in',
                        'db_table': 'partnership_checkin',
                        'ordering': ['due_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='ProblemSuggestion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('key', models.CharField(max_length=100, unique=True)),
                        ('trigger', models.CharField(choices=[('resolved_cluster', 'Repeated resolved pain points'), ('votes', 'Many votes on one pain point')], max_length=20)),
                        ('category', models.CharField(help_text="The pain points' category (listening).", max_length=20)),
                        ('pain_point_id', models.PositiveBigIntegerField(blank=True, help_text='The pain point with many votes (listening.PainPoint primary key).', null=True)),
                        ('evidence', models.JSONField(default=list, help_text='Primary keys of the pain points behind the proposal.')),
                        ('proposed_kind', models.CharField(choices=[('extra_analysis', 'Extra analysis'), ('longer_data_period', 'Longer data period'), ('post_downtime_check', 'Post-downtime check'), ('manual_faq', 'Manual or FAQ'), ('training', 'Training'), ('other', 'Other')], default='manual_faq', max_length=30)),
                        ('reason', models.CharField(max_length=300)),
                        ('status', models.CharField(choices=[('open', 'Open'), ('accepted', 'Accepted'), ('dismissed', 'Dismissed')], db_index=True, default='open', max_length=10)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('dismiss_reason', models.TextField(blank=True)),
                        ('action', models.OneToOneField(blank=True, help_text='The planned action created when IT accepted the proposal.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='suggestion', to='extramile.extramileaction')),
                        ('business_unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.businessunit')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'partnership_problemsuggestion',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ResolutionSurvey',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('pain_point_id', models.PositiveBigIntegerField(help_text='listening.PainPoint primary key.')),
                        ('role', models.CharField(choices=[('submitter', 'Submitter'), ('voter', 'Voter')], max_length=10)),
                        ('resolved_at', models.DateTimeField()),
                        ('due_at', models.DateTimeField(help_text='Answers are taken until then.')),
                        ('rating', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1, message='Give a rating from 1 to 5.'), django.core.validators.MaxValueValidator(5, message='Give a rating from 1 to 5.')])),
                        ('comment', models.TextField(blank=True)),
                        ('answered_at', models.DateTimeField(blank=True, null=True)),
                        ('notified_at', models.DateTimeField(blank=True, null=True)),
                        ('business_unit', models.ForeignKey(help_text="The pain point's unit.", on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.businessunit')),
                        ('respondent', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='resolution_surveys', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'post-resolution survey',
                        'db_table': 'partnership_resolutionsurvey',
                        'ordering': ['-resolved_at', '-id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='extramileaction',
                    index=models.Index(fields=['subject_type', 'subject_id'], name='partnership_subject_3cfbec_idx'),
                ),
                migrations.AddIndex(
                    model_name='extramileaction',
                    index=models.Index(fields=['business_unit', 'performed_on'], name='partnership_busines_106813_idx'),
                ),
                migrations.AddIndex(
                    model_name='extramileaction',
                    index=models.Index(fields=['performed_by', 'performed_on'], name='partnership_perform_961afa_idx'),
                ),
                migrations.AddIndex(
                    model_name='extramileaction',
                    index=models.Index(condition=models.Q(('status', 'done')), fields=['performed_on'], name='extramile_action_done_idx'),
                ),
                migrations.AddConstraint(
                    model_name='extramileaction',
                    constraint=models.CheckConstraint(condition=models.Q(('effort_hours__gte', 0)), name='extramile_action_effort_not_negative'),
                ),
                migrations.AddConstraint(
                    model_name='extramilerating',
                    constraint=models.UniqueConstraint(fields=('action', 'rated_by'), name='extramile_rating_once_per_recipient', violation_error_message='You already rated this action.'),
                ),
                migrations.AddConstraint(
                    model_name='extramilerating',
                    constraint=models.CheckConstraint(condition=models.Q(('rating__gte', 1), ('rating__lte', 5)), name='extramile_rating_1_to_5'),
                ),
                migrations.AddIndex(
                    model_name='maintenancewindow',
                    index=models.Index(condition=models.Q(('check_ins_created_at__isnull', True)), fields=['ends_at'], name='extramile_window_due_idx'),
                ),
                migrations.AddIndex(
                    model_name='checkin',
                    index=models.Index(condition=models.Q(('status', 'pending')), fields=['due_at'], name='extramile_checkin_pending_idx'),
                ),
                migrations.AddConstraint(
                    model_name='checkin',
                    constraint=models.UniqueConstraint(fields=('window', 'key_user'), name='extramile_checkin_once_per_key_user'),
                ),
                migrations.AddIndex(
                    model_name='resolutionsurvey',
                    index=models.Index(condition=models.Q(('answered_at__isnull', True)), fields=['due_at'], name='extramile_survey_open_idx'),
                ),
                migrations.AddConstraint(
                    model_name='resolutionsurvey',
                    constraint=models.UniqueConstraint(fields=('pain_point_id', 'respondent'), name='extramile_survey_once_per_person'),
                ),
                migrations.AddConstraint(
                    model_name='resolutionsurvey',
                    constraint=models.CheckConstraint(condition=models.Q(('rating__isnull', True), models.Q(('rating__gte', 1), ('rating__lte', 5)), _connector='OR'), name='extramile_survey_rating_1_to_5'),
                ),
            ],
        ),
        migrations.RunPython(
            *content_type_mover(
                'extramile',
                [
                    'extramileaction',
                    'extramilerating',
                    'maintenancewindow',
                    'checkin',
                    'problemsuggestion',
                    'resolutionsurvey',
                    'extramileaction_recipients',
                    'maintenancewindow_business_units',
                    'maintenancewindow_key_users',
                ],
            )
        ),
    ]
