"""The integrations models, moved from the partnership app: their tables stay as they are.

State only (`SeparateDatabaseAndState` with no database operation): each model keeps its
`db_table`; the content types are relabelled in place, so permissions and generic links stay.
"""

import django.db.models.deletion
import django.utils.timezone
import partnership.integrations.models
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
                    name='IntegrationSource',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('name', models.SlugField(help_text='The {source} part of the webhook URL.', unique=True)),
                        ('kind', models.CharField(choices=[('jira', 'Jira Cloud'), ('zendesk', 'Zendesk'), ('servicenow', 'ServiceNow'), ('generic', 'Generic (Standard Webhooks)')], max_length=20)),
                        ('secret', models.CharField(max_length=255)),
                        ('previous_secret', models.CharField(blank=True, max_length=255)),
                        ('previous_secret_valid_until', models.DateTimeField(blank=True, null=True)),
                        ('enabled', models.BooleanField(default=True)),
                        ('actor', models.OneToOneField(blank=True, help_text='The inactive service account that status changes from this source are recorded under.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='integration_source', to=settings.AUTH_USER_MODEL)),
                        ('business_unit', models.ForeignKey(blank=True, help_text="New pain points land in this unit; empty: the reporter's unit (or the payload's, generic).", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partnership.businessunit')),
                    ],
                    options={
                        'db_table': 'partnership_integrationsource',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='WebhookSubscription',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('url', models.URLField(help_text='http(s) URL that receives a POST for each event.', max_length=500)),
                        ('description', models.CharField(blank=True, max_length=200)),
                        ('events', models.JSONField(default=list, help_text="Event types, e.g. ['pain_point.created'].")),
                        ('secret', models.CharField(default=partnership.integrations.models.generate_webhook_secret, max_length=100)),
                        ('enabled', models.BooleanField(default=True)),
                        ('consecutive_failures', models.PositiveIntegerField(default=0, help_text='Deliveries that failed after every retry, since the last success.')),
                        ('disabled_at', models.DateTimeField(blank=True, null=True)),
                        ('disabled_reason', models.CharField(blank=True, max_length=300)),
                        ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='webhook_subscriptions', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'partnership_webhooksubscription',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='IdempotencyRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=255)),
                        ('request_hash', models.CharField(help_text='SHA-256 of method, path and body.', max_length=64)),
                        ('method', models.CharField(max_length=10)),
                        ('path', models.CharField(max_length=500)),
                        ('state', models.CharField(choices=[('in_progress', 'In progress'), ('complete', 'Complete')], default='in_progress', max_length=20)),
                        ('status_code', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('content_type', models.CharField(blank=True, max_length=200)),
                        ('response_body', models.BinaryField(blank=True, default=b'')),
                        ('location', models.CharField(blank=True, max_length=500)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('expires_at', models.DateTimeField(db_index=True)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'partnership_idempotencyrecord',
                        'ordering': ['-created_at'],
                        'constraints': [models.UniqueConstraint(fields=('user', 'key'), name='idempotency_key_once_per_user')],
                    },
                ),
                migrations.CreateModel(
                    name='InboundDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('received_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('source_name', models.CharField(help_text='As named in the URL, also for unknown sources.', max_length=100)),
                        ('delivery_id', models.CharField(blank=True, max_length=255)),
                        ('event', models.CharField(blank=True, max_length=100)),
                        ('external_ref', models.CharField(blank=True, max_length=200)),
                        ('result', models.CharField(choices=[('processing', 'Processing'), ('created', 'Created'), ('updated', 'Updated'), ('unchanged', 'Unchanged'), ('ignored', 'Ignored (not a ticket event)'), ('replay', 'Replay (already processed)'), ('refused', 'Refused')], max_length=20)),
                        ('status_code', models.PositiveSmallIntegerField()),
                        ('reason', models.TextField(blank=True)),
                        ('object_id', models.CharField(blank=True, max_length=64)),
                        ('object_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contenttypes.contenttype')),
                        ('source', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='deliveries', to='integrations.integrationsource')),
                    ],
                    options={
                        'verbose_name_plural': 'inbound deliveries',
                        'db_table': 'partnership_inbounddelivery',
                        'ordering': ['-received_at', '-id'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('result__in', ('processing', 'created', 'updated', 'unchanged', 'ignored'))), fields=('source', 'delivery_id'), name='inbound_delivery_id_used_once')],
                    },
                ),
                migrations.CreateModel(
                    name='WebhookDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('message_id', models.CharField(help_text='The `webhook-id` header; receivers de-duplicate on it.', max_length=64, unique=True)),
                        ('event', models.CharField(max_length=60)),
                        ('payload', models.JSONField()),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('succeeded', 'Succeeded'), ('failed', 'Failed')], default='pending', max_length=20)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('response_code', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('last_error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('last_attempt_at', models.DateTimeField(blank=True, null=True)),
                        ('delivered_at', models.DateTimeField(blank=True, null=True)),
                        ('subscription', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='integrations.webhooksubscription')),
                    ],
                    options={
                        'verbose_name_plural': 'webhook deliveries',
                        'db_table': 'partnership_webhookdelivery',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(condition=models.Q(('status', 'pending')), fields=['id'], name='webhook_delivery_pending_idx')],
                    },
                ),
            ],
        ),
        migrations.RunPython(
            *content_type_mover(
                'integrations',
                [
                    'integrationsource',
                    'inbounddelivery',
                    'idempotencyrecord',
                    'webhooksubscription',
                    'webhookdelivery',
                ],
            )
        ),
    ]
