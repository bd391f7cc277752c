"""The notifications models, moved from the partnership app: their tables stay as they are.

State only (`SeparateDatabaseAndState` with no database operation): each model keeps its
`db_table`; the content types are relabelled in place, so permissions and generic links stay.
"""

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
                    name='Reminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(help_text="A key of the reminder-kind registry, e.g. 'listening.ack_overdue'.", max_length=60)),
                        ('target_id', models.CharField(max_length=64)),
                        ('period', models.CharField(help_text="Which occurrence: 'once', a date, a week '2026-W48', a month '2026-11'...", max_length=40)),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('sent', 'Sent'), ('cancelled', 'Cancelled (no longer due)'), ('failed', 'Failed (gave up)')], default='pending', max_length=20)),
                        ('email_state', models.CharField(choices=[('none', 'No e-mail'), ('sent', 'E-mailed'), ('digest_pending', 'Waiting for the daily digest'), ('digest_sent', 'Sent in a daily digest')], default='none', max_length=20)),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('claimed_at', models.DateTimeField(blank=True, help_text='When a sender last took this row.', null=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('attempts', models.PositiveIntegerField(default=0, help_text='Failed delivery attempts.')),
                        ('last_error', models.TextField(blank=True)),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to=settings.AUTH_USER_MODEL)),
                        ('target_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
                    ],
                    options={
                        'db_table': 'partnership_reminder',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(db_index=True, help_text="What it is about, e.g. 'pain_point.declined'.", max_length=60)),
                        ('title', models.CharField(max_length=200)),
                        ('body', models.TextField(blank=True)),
                        ('url', models.CharField(blank=True, help_text='Where the object is, a path inside the portal.', max_length=500)),
                        ('target_id', models.CharField(blank=True, max_length=64)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                        ('target_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contenttypes.contenttype')),
                        ('reminder', models.OneToOneField(blank=True, help_text='The ledger row this notification delivered; unique, so a reminder reaches the inbox once.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='notification', to='notifications.reminder')),
                    ],
                    options={
                        'db_table': 'partnership_notification',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='NotificationPreference',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('kind', models.CharField(max_length=60)),
                        ('channel', models.CharField(choices=[('in_app', 'In the app only'), ('email', 'In the app and by e-mail'), ('digest', 'In the app and in a daily e-mail digest')], max_length=20)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preferences', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'partnership_notificationpreference',
                        'ordering': ['kind'],
                        'constraints': [models.UniqueConstraint(fields=('user', 'kind'), name='notification_preference_once_per_kind')],
                    },
                ),
                migrations.AddIndex(
                    model_name='reminder',
                    index=models.Index(condition=models.Q(('status', 'pending')), fields=['id'], name='reminder_pending_idx'),
                ),
                migrations.AddIndex(
                    model_name='reminder',
                    index=models.Index(condition=models.Q(('email_state', 'digest_pending')), fields=['recipient'], name='reminder_digest_idx'),
                ),
                migrations.AddConstraint(
                    model_name='reminder',
                    constraint=models.UniqueConstraint(fields=('recipient', 'kind', 'target_type', 'target_id', 'period'), name='reminder_once_per_period'),
                ),
                migrations.AddIndex(
                    model_name='notification',
                    index=models.Index(fields=['recipient', 'read_at', '-created_at'], name='partnership_recipie_5d6d5f_idx'),
                ),
            ],
        ),
        migrations.RunPython(
            *content_type_mover(
                'notifications',
                [
                    'notification',
                    'reminder',
                    'notificationpreference',
                ],
            )
        ),
    ]
