"""The API's models, moved from ``countries`` (issue 19): the tables are renamed, their rows
kept; only the audit triggers are made anew (their names carry the app's).
"""

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

from core.moves import relabel

MOVED = ["apitoken", "apitokenevent", "idempotencykey"]


def move_content_types(apps, schema_editor):
    relabel(apps, "countries", "api", MOVED)


def move_content_types_back(apps, schema_editor):
    relabel(apps, "api", "countries", MOVED)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('countries', '0004_api_models_to_api_app'),
        ('pghistory', '0007_auto_20250421_0444'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[
            migrations.RunSQL(
                "ALTER TABLE countries_apitoken RENAME TO api_apitoken",
                "ALTER TABLE api_apitoken RENAME TO countries_apitoken",
            ),
            migrations.RunSQL(
                "ALTER TABLE countries_apitokenevent RENAME TO api_apitokenevent",
                "ALTER TABLE api_apitokenevent RENAME TO countries_apitokenevent",
            ),
            migrations.RunSQL(
                "ALTER TABLE countries_idempotencykey RENAME TO api_idempotencykey",
                "ALTER TABLE api_idempotencykey RENAME TO countries_idempotencykey",
            ),
        ], state_operations=[
            migrations.CreateModel(
                name='ApiToken',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(help_text='What the token is for, e.g. “nightly upload script”.', max_length=100, verbose_name='name')),
                    ('prefix', models.CharField(max_length=16, verbose_name='starts with')),
                    ('key_hash', models.CharField(max_length=64, unique=True, verbose_name='SHA-256 of the secret')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='last used')),
                    ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                ],
                options={
                    'verbose_name': 'API token',
                    'verbose_name_plural': 'API tokens',
                    'ordering': ['-created_at', '-id'],
                },
            ),
            migrations.CreateModel(
                name='ApiTokenEvent',
                fields=[
                    ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                    ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                    ('pgh_label', models.TextField(help_text='The event label.')),
                    ('id', models.BigIntegerField()),
                    ('name', models.CharField(help_text='What the token is for, e.g. “nightly upload script”.', max_length=100, verbose_name='name')),
                    ('prefix', models.CharField(max_length=16, verbose_name='starts with')),
                    ('key_hash', models.CharField(max_length=64, verbose_name='SHA-256 of the secret')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked')),
                    ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                    ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='api.apitoken')),
                    ('user', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                ],
                options={
                    'abstract': False,
                },
            ),
            migrations.CreateModel(
                name='IdempotencyKey',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('key', models.CharField(max_length=255, verbose_name='key')),
                    ('fingerprint', models.CharField(max_length=64, verbose_name='request fingerprint')),
                    ('status_code', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='response status')),
                    ('response_body', models.TextField(blank=True, verbose_name='response body (JSON)')),
                    ('location', models.CharField(blank=True, max_length=500, verbose_name='response location')),
                    ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'idempotency key',
                    'verbose_name_plural': 'idempotency keys',
                },
            ),
            migrations.AddConstraint(
                model_name='apitoken',
                constraint=models.UniqueConstraint(condition=models.Q(('revoked_at__isnull', True)), fields=('user', 'name'), name='api_token_name_unique_while_active', violation_error_message='You already have an active token with that name.'),
            ),
            migrations.AddConstraint(
                model_name='idempotencykey',
                constraint=models.UniqueConstraint(fields=('user', 'key'), name='idempotency_key_unique_per_user'),
            ),
        ]),
        pgtrigger.migrations.AddTrigger(
            model_name='apitoken',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "api_apitokenevent" ("created_at", "id", "key_hash", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "prefix", "revoked_at", "user_id") VALUES (NEW."created_at", NEW."id", NEW."key_hash", NEW."name", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."prefix", NEW."revoked_at", NEW."user_id"); RETURN NULL;', hash='32b4ffb4811740486776ffb2711e50ef15641c17', operation='INSERT', pgid='pgtrigger_insert_insert_d7986', table='api_apitoken', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='apitoken',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."key_hash" IS DISTINCT FROM (NEW."key_hash") OR OLD."name" IS DISTINCT FROM (NEW."name") OR OLD."prefix" IS DISTINCT FROM (NEW."prefix") OR OLD."revoked_at" IS DISTINCT FROM (NEW."revoked_at") OR OLD."user_id" IS DISTINCT FROM (NEW."user_id"))', func='INSERT INTO "api_apitokenevent" ("created_at", "id", "key_hash", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "prefix", "revoked_at", "user_id") VALUES (NEW."created_at", NEW."id", NEW."key_hash", NEW."name", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."prefix", NEW."revoked_at", NEW."user_id"); RETURN NULL;', hash='a9fb731c9ef14caf7adbd1f766edce294ec98b83', operation='UPDATE', pgid='pgtrigger_update_update_55b1f', table='api_apitoken', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='apitoken',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "api_apitokenevent" ("created_at", "id", "key_hash", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "prefix", "revoked_at", "user_id") VALUES (OLD."created_at", OLD."id", OLD."key_hash", OLD."name", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."prefix", OLD."revoked_at", OLD."user_id"); RETURN NULL;', hash='5b7339ce45c824960a4fd4f2314569959e59ec32', operation='DELETE', pgid='pgtrigger_delete_delete_c6793', table='api_apitoken', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='apitokenevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='1df8a2cc41dd5a6607c1efbe89ab9e567748ccac', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_b8b46', table='api_apitokenevent', when='BEFORE')),
        ),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=False),
    ]
