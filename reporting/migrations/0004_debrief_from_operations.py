"""The debrief workshop's models, moved from operations (issue 19): state only, the tables keep
their names and rows; the content types are relabelled.
"""

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

from core.moves import relabel

MOVED = ['debriefworkshop', 'lesson', 'recommendation', 'debriefworkshopevent', 'lessonevent', 'recommendationevent']


def move_content_types(apps, schema_editor):
    """The moved models keep their content types (and so their permissions and guardian grants):
    the rows are relabelled operations -> reporting, unless the new app has one already."""
    relabel(apps, 'operations', 'reporting', MOVED)


def move_content_types_back(apps, schema_editor):
    relabel(apps, 'reporting', 'operations', MOVED)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('countries', '0004_api_models_to_api_app'),
        ('operations', '0013_cooperation_and_debrief_moved'),
        ('pghistory', '0007_auto_20250421_0444'),
        ('reporting', '0003_exportjob_attempts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables are there already: only Django's picture of them moves.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='DebriefWorkshop',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('held_on', models.DateField(verbose_name='held on')),
                    ('place', models.CharField(max_length=200, verbose_name='place')),
                    ('co_chairs', models.TextField(blank=True, help_text='Names and titles, one per line.', verbose_name='co-chairs')),
                    ('joint_operation', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='workshop', to='operations.jointoperation')),
                ],
                options={
                    'verbose_name': 'debrief workshop',
                    'verbose_name_plural': 'debrief workshops',
                    'db_table': 'operations_debriefworkshop',
                },
            ),
            migrations.CreateModel(
                name='DebriefWorkshopEvent',
                fields=[
                    ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                    ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                    ('pgh_label', models.TextField(help_text='The event label.')),
                    ('id', models.BigIntegerField()),
                    ('held_on', models.DateField(verbose_name='held on')),
                    ('place', models.CharField(max_length=200, verbose_name='place')),
                    ('co_chairs', models.TextField(blank=True, help_text='Names and titles, one per line.', verbose_name='co-chairs')),
                    ('joint_operation', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='operations.jointoperation')),
                    ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                    ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='reporting.debriefworkshop')),
                ],
                options={
                    'db_table': 'operations_debriefworkshopevent',
                    'abstract': False,
                },
            ),
            migrations.CreateModel(
                name='Lesson',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('outcomes', models.TextField(blank=True, verbose_name='what outcomes were achieved')),
                    ('worked_well', models.TextField(blank=True, verbose_name='what worked well')),
                    ('did_not_work_well', models.TextField(blank=True, verbose_name='what did not work well')),
                    ('do_differently', models.TextField(blank=True, verbose_name='what should be done differently')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                    ('country', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='countries.country', verbose_name='country')),
                    ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('workshop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lessons', to='reporting.debriefworkshop')),
                ],
                options={
                    'verbose_name': 'lessons',
                    'verbose_name_plural': 'lessons',
                    'db_table': 'operations_lesson',
                    'ordering': ['country__name'],
                },
            ),
            migrations.CreateModel(
                name='LessonEvent',
                fields=[
                    ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                    ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                    ('pgh_label', models.TextField(help_text='The event label.')),
                    ('id', models.BigIntegerField()),
                    ('outcomes', models.TextField(blank=True, verbose_name='what outcomes were achieved')),
                    ('worked_well', models.TextField(blank=True, verbose_name='what worked well')),
                    ('did_not_work_well', models.TextField(blank=True, verbose_name='what did not work well')),
                    ('do_differently', models.TextField(blank=True, verbose_name='what should be done differently')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                    ('country', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='countries.country', verbose_name='country')),
                    ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                    ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='reporting.lesson')),
                    ('updated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
                    ('workshop', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='reporting.debriefworkshop')),
                ],
                options={
                    'db_table': 'operations_lessonevent',
                    'abstract': False,
                },
            ),
            migrations.CreateModel(
                name='Recommendation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('number', models.PositiveSmallIntegerField(verbose_name='number')),
                    ('text', models.TextField(verbose_name='recommendation')),
                    ('owner', models.CharField(blank=True, max_length=200, verbose_name='owner')),
                    ('due_on', models.DateField(blank=True, null=True, verbose_name='due on')),
                    ('status', models.CharField(choices=[('open', 'Not started'), ('in_progress', 'In progress'), ('done', 'Done')], default='open', max_length=16, verbose_name='status')),
                    ('done_on', models.DateField(blank=True, null=True, verbose_name='done on')),
                    ('progress_note', models.TextField(blank=True, verbose_name='progress')),
                    ('workshop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recommendations', to='reporting.debriefworkshop')),
                ],
                options={
                    'verbose_name': 'recommendation',
                    'verbose_name_plural': 'recommendations',
                    'db_table': 'operations_recommendation',
                    'ordering': ['workshop', 'number'],
                },
            ),
            migrations.CreateModel(
                name='RecommendationEvent',
                fields=[
                    ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                    ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                    ('pgh_label', models.TextField(help_text='The event label.')),
                    ('id', models.BigIntegerField()),
                    ('number', models.PositiveSmallIntegerField(verbose_name='number')),
                    ('text', models.TextField(verbose_name='recommendation')),
                    ('owner', models.CharField(blank=True, max_length=200, verbose_name='owner')),
                    ('due_on', models.DateField(blank=True, null=True, verbose_name='due on')),
                    ('status', models.CharField(choices=[('open', 'Not started'), ('in_progress', 'In progress'), ('done', 'Done')], default='open', max_length=16, verbose_name='status')),
                    ('done_on', models.DateField(blank=True, null=True, verbose_name='done on')),
                    ('progress_note', models.TextField(blank=True, verbose_name='progress')),
                    ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                    ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='reporting.recommendation')),
                    ('workshop', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='reporting.debriefworkshop')),
                ],
                options={
                    'db_table': 'operations_recommendationevent',
                    'abstract': False,
                },
            ),
            migrations.AddConstraint(
                model_name='lesson',
                constraint=models.UniqueConstraint(fields=('workshop', 'country'), name='lessons_once_per_country'),
            ),
            migrations.AddConstraint(
                model_name='recommendation',
                constraint=models.UniqueConstraint(fields=('workshop', 'number'), name='recommendation_number_once'),
            ),
            migrations.AddConstraint(
                model_name='recommendation',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('done_on__isnull', False), ('status', 'done')), models.Q(models.Q(('status', 'done'), _negated=True), ('done_on__isnull', True)), _connector='OR'), name='recommendation_done_has_date', violation_error_message='A recommendation is done on a date, and only then.'),
            ),
        ], database_operations=[]),
        # The audit triggers are named after their app: made anew here, dropped in the old app.
        pgtrigger.migrations.AddTrigger(
            model_name='debriefworkshop',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_debriefworkshopevent" ("co_chairs", "held_on", "id", "joint_operation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "place") VALUES (NEW."co_chairs", NEW."held_on", NEW."id", NEW."joint_operation_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."place"); RETURN NULL;', hash='aa18ee3a027b229ad39edfd97858264ea33cfb54', operation='INSERT', pgid='pgtrigger_insert_insert_4420a', table='operations_debriefworkshop', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='debriefworkshop',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "operations_debriefworkshopevent" ("co_chairs", "held_on", "id", "joint_operation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "place") VALUES (NEW."co_chairs", NEW."held_on", NEW."id", NEW."joint_operation_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."place"); RETURN NULL;', hash='46178c81de43477ddc57854604ea6f2747b0709e', operation='UPDATE', pgid='pgtrigger_update_update_a275b', table='operations_debriefworkshop', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='debriefworkshop',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_debriefworkshopevent" ("co_chairs", "held_on", "id", "joint_operation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "place") VALUES (OLD."co_chairs", OLD."held_on", OLD."id", OLD."joint_operation_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."place"); RETURN NULL;', hash='dc0330c4626c06d895b06dcc3286ce4f1916e034', operation='DELETE', pgid='pgtrigger_delete_delete_32e94', table='operations_debriefworkshop', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='debriefworkshopevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='16879afe9fbb6dfffda2d50e754a4e6afe679177', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_4301b', table='operations_debriefworkshopevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='lesson',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_lessonevent" ("country_id", "did_not_work_well", "do_differently", "id", "outcomes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "updated_at", "updated_by_id", "worked_well", "workshop_id") VALUES (NEW."country_id", NEW."did_not_work_well", NEW."do_differently", NEW."id", NEW."outcomes", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."updated_at", NEW."updated_by_id", NEW."worked_well", NEW."workshop_id"); RETURN NULL;', hash='b1ddba3dd236c1cb2534f26387194b1fada48c62', operation='INSERT', pgid='pgtrigger_insert_insert_20d5a', table='operations_lesson', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='lesson',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "operations_lessonevent" ("country_id", "did_not_work_well", "do_differently", "id", "outcomes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "updated_at", "updated_by_id", "worked_well", "workshop_id") VALUES (NEW."country_id", NEW."did_not_work_well", NEW."do_differently", NEW."id", NEW."outcomes", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."updated_at", NEW."updated_by_id", NEW."worked_well", NEW."workshop_id"); RETURN NULL;', hash='7592f429157c6d0f861c4f3db2552f9ff37d3b33', operation='UPDATE', pgid='pgtrigger_update_update_6f1ec', table='operations_lesson', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='lesson',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_lessonevent" ("country_id", "did_not_work_well", "do_differently", "id", "outcomes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "updated_at", "updated_by_id", "worked_well", "workshop_id") VALUES (OLD."country_id", OLD."did_not_work_well", OLD."do_differently", OLD."id", OLD."outcomes", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."updated_at", OLD."updated_by_id", OLD."worked_well", OLD."workshop_id"); RETURN NULL;', hash='e6fcc804ad481bc566a6a86218985ac595ebd62d', operation='DELETE', pgid='pgtrigger_delete_delete_61284', table='operations_lesson', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='lessonevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='fb1c36e9fd9494dff41ea59fc94a137568d01b2e', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_a9f21', table='operations_lessonevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='recommendation',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_recommendationevent" ("done_on", "due_on", "id", "number", "owner", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "progress_note", "status", "text", "workshop_id") VALUES (NEW."done_on", NEW."due_on", NEW."id", NEW."number", NEW."owner", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."progress_note", NEW."status", NEW."text", NEW."workshop_id"); RETURN NULL;', hash='e472ae5985f00065c79fb352fd7254f2dc4f749f', operation='INSERT', pgid='pgtrigger_insert_insert_bb70f', table='operations_recommendation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='recommendation',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "operations_recommendationevent" ("done_on", "due_on", "id", "number", "owner", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "progress_note", "status", "text", "workshop_id") VALUES (NEW."done_on", NEW."due_on", NEW."id", NEW."number", NEW."owner", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."progress_note", NEW."status", NEW."text", NEW."workshop_id"); RETURN NULL;', hash='89d51c7d542a8d553a25fdc0b83e9752bcfb931a', operation='UPDATE', pgid='pgtrigger_update_update_10e9a', table='operations_recommendation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='recommendation',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_recommendationevent" ("done_on", "due_on", "id", "number", "owner", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "progress_note", "status", "text", "workshop_id") VALUES (OLD."done_on", OLD."due_on", OLD."id", OLD."number", OLD."owner", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."progress_note", OLD."status", OLD."text", OLD."workshop_id"); RETURN NULL;', hash='19cbee85cd21082b753f51dcc49b39fdc521ef67', operation='DELETE', pgid='pgtrigger_delete_delete_5d50f', table='operations_recommendation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='recommendationevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='2a98ff14c047900d12d239e9f1e0182d7bd162ff', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_1088c', table='operations_recommendationevent', when='BEFORE')),
        ),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=False),
    ]
