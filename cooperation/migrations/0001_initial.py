"""Cooperation's models, moved from operations (issue 19): state only, the tables keep their
names and rows; the content types are relabelled so that permissions and grants still apply.
"""
import importlib

import django.contrib.postgres.fields
import django.db.models.deletion
import operations.fields
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

from core.moves import relabel

rls = importlib.import_module("operations.migrations.0010_row_level_security")

MOVED = ['network', 'jointinvestigation', 'investigationmember', 'investigationnote', 'jointinvestigationgroupobjectpermission', 'planningmeeting', 'nomination', 'nominationpartner', 'networkevent', 'jointinvestigationevent', 'investigationmemberevent', 'investigationnoteevent', 'planningmeetingevent', 'nominationevent', 'nominationpartnerevent']


def move_content_types(apps, schema_editor):
    """The moved models keep their content types (and so their permissions and guardian grants):
    the rows are relabelled operations -> cooperation, unless the new app has one already."""
    relabel(apps, 'operations', 'cooperation', MOVED)


def move_content_types_back(apps, schema_editor):
    relabel(apps, 'cooperation', 'operations', MOVED)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('countries', '0004_api_models_to_api_app'),
        ('operations', '0012_nationality_iso_validator'),
        ('pghistory', '0007_auto_20250421_0444'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables are there already: only Django's picture of them moves.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='InvestigationMember',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('state', models.CharField(choices=[('invited', 'Invited'), ('accepted', 'Member'), ('declined', 'Declined'), ('left', 'Left')], default='invited', max_length=16, verbose_name='state')),
                    ('changed_at', models.DateTimeField(auto_now=True, verbose_name='changed at')),
                    ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('country', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='countries.country', verbose_name='country')),
                ],
                options={
                    'verbose_name': 'member country',
                    'verbose_name_plural': 'member countries',
                    'db_table': 'operations_investigationmember',
                    'ordering': ['investigation', 'country__name'],
                },
            ),
            migrations.CreateModel(
                name='InvestigationNote',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('text', models.TextField(verbose_name='note')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='written at')),
                    ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('country', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='countries.country', verbose_name='country')),
                ],
                options={
                    'verbose_name': 'investigation note',
                    'verbose_name_plural': 'investigation notes',
                    'db_table': 'operations_investigationnote',
                    'ordering': ['-created_at', '-pk'],
                },
            ),
            migrations.CreateModel(
                name='JointInvestigation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=200, verbose_name='title')),
                    ('starts_on', models.DateField(verbose_name='starts on')),
                    ('ends_on', models.DateField(verbose_name='ends on')),
                    ('status', models.CharField(choices=[('proposed', 'Proposed'), ('active', 'Under way'), ('closed', 'Closed')], default='proposed', max_length=16, verbose_name='status')),
                    ('purpose', models.TextField(blank=True, verbose_name='purpose')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='proposed at')),
                    ('joint_operation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='operations.jointoperation', verbose_name='joint operation')),
                    ('lead_country', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='countries.country', verbose_name='lead country')),
                    ('proposed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'joint investigation',
                    'verbose_name_plural': 'joint investigations',
                    'db_table': 'operations_jointinvestigation',
                    'ordering': ['-starts_on', '-pk'],
                },
            ),
            migrations.CreateModel(
                name='InvestigationNoteEvent',
                fields=[
                    ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                    ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                    ('pgh_label', models.TextField(help_text='The event label.')),
                    ('id', models.BigIntegerField()),
                    ('text', models.TextField(verbose_name='note')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='written at')),
                    ('author', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
                    ('country', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='countries.country', verbose_name='country')),
                    ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                    ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='cooperation.investigationnote')),
                    ('investigation', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperation.jointinvestigation')),
                ],
                options={
                    'db_table': 'operations_investigationnoteevent',
                    'abstract': False,
                },
            ),
            migrations.AddField(
                model_name='investigationnote',
                name='investigation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='cooperation.jointinvestigation'),
            ),
            migrations.CreateModel(
                name='InvestigationMemberEvent',
                fields=[
                    ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                    ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                    ('pgh_label', models.TextField(help_text='The event label.')),
                    ('id', models.BigIntegerField()),
                    ('state', models.CharField(choices=[('invited', 'Invited'), ('accepted', 'Member'), ('declined', 'Declined'), ('left', 'Left')], default='invited', max_length=16, verbose_name='state')),
                    ('changed_at', models.DateTimeField(auto_now=True, verbose_name='changed at')),
                    ('changed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
                    ('country', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='countries.country', verbose_name='country')),
                    ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                    ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='cooperation.investigationmember')),
                    ('investigation', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperation.jointinvestigation')),
                ],
                options={
                    'db_table': 'operations_investigationmemberevent',
                    'abstract': False,
                },
            ),
            migrations.AddField(
                model_name='investigationmember',
                name='investigation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='cooperation.jointinvestigation'),
            ),
            migrations.CreateModel(
                name='JointInvestigationGroupObjectPermission',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='cooperation.jointinvestigation')),
                    ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.group')),
                    ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
                ],
                options={
                    'db_table': 'operations_jointinvestigationgroupobjectpermission',
                    'abstract': False,
                },
            ),
            migrations.CreateModel(
                name='Network',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('aliases', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=200), blank=True, default=list, size=None, verbose_name='also known as')),
                    ('crime_types', operations.fields.ChoiceArrayField(base_field=models.CharField(choices=[('trafficking', 'Trafficking in persons'), ('smuggling', 'People smuggling')], max_length=16), default=list, size=None, verbose_name='crime types')),
                    ('sectors', operations.fields.ChoiceArrayField(base_field=models.CharField(choices=[('agriculture', 'Agriculture'), ('farming', 'Farming'), ('fishing', 'Fishing'), ('beauty_services', 'Beauty services'), ('domestic_work', 'Domestic work'), ('online_child_exploitation', 'Online commercial sexual exploitation of children'), ('other', 'Other')], max_length=32), blank=True, default=list, size=None, verbose_name='sectors')),
                    ('modus_operandi', models.TextField(blank=True, verbose_name='modus operandi')),
                    ('status', models.CharField(choices=[('active', 'Active'), ('disrupted', 'Disrupted'), ('dismantled', 'Dismantled'), ('unknown', 'Unknown')], default='active', max_length=16, verbose_name='status')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='registered at')),
                    ('countries_active', models.ManyToManyField(blank=True, related_name='+', to='countries.country', verbose_name='active in')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('registered_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='countries.country', verbose_name='registered by')),
                    ('shared_with', models.ManyToManyField(blank=True, related_name='+', to='countries.country', verbose_name='given to')),
                ],
                options={
                    'verbose_name': 'network',
                    'verbose_name_plural': 'networks',
                    'db_table': 'operations_network',
                    'ordering': ['name', 'pk'],
                },
            ),
            migrations.CreateModel(
                name='JointInvestigationEvent',
                fields=[
                    ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                    ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                    ('pgh_label', models.TextField(help_text='The event label.')),
                    ('id', models.BigIntegerField()),
                    ('title', models.CharField(max_length=200, verbose_name='title')),
                    ('starts_on', models.DateField(verbose_name='starts on')),
                    ('ends_on', models.DateField(verbose_name='ends on')),
                    ('status', models.CharField(choices=[('proposed', 'Proposed'), ('active', 'Under way'), ('closed', 'Closed')], default='proposed', max_length=16, verbose_name='status')),
                    ('purpose', models.TextField(blank=True, verbose_name='purpose')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='proposed at')),
                    ('joint_operation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='operations.jointoperation', verbose_name='joint operation')),
                    ('lead_country', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='countries.country', verbose_name='lead country')),
                    ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                    ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='cooperation.jointinvestigation')),
                    ('proposed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
                    ('network', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperation.network', verbose_name='network')),
                ],
                options={
                    'db_table': 'operations_jointinvestigationevent',
                    'abstract': False,
                },
            ),
            migrations.AddField(
                model_name='jointinvestigation',
                name='network',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='investigations', to='cooperation.network', verbose_name='network'),
            ),
            migrations.CreateModel(
                name='NetworkEvent',
                fields=[
                    ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                    ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                    ('pgh_label', models.TextField(help_text='The event label.')),
                    ('id', models.BigIntegerField()),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('aliases', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=200), blank=True, default=list, size=None, verbose_name='also known as')),
                    ('crime_types', operations.fields.ChoiceArrayField(base_field=models.CharField(choices=[('trafficking', 'Trafficking in persons'), ('smuggling', 'People smuggling')], max_length=16), default=list, size=None, verbose_name='crime types')),
                    ('sectors', operations.fields.ChoiceArrayField(base_field=models.CharField(choices=[('agriculture', 'Agriculture'), ('farming', 'Farming'), ('fishing', 'Fishing'), ('beauty_services', 'Beauty services'), ('domestic_work', 'Domestic work'), ('online_child_exploitation', 'Online commercial sexual exploitation of children'), ('other', 'Other')], max_length=32), blank=True, default=list, size=None, verbose_name='sectors')),
                    ('modus_operandi', models.TextField(blank=True, verbose_name='modus operandi')),
                    ('status', models.CharField(choices=[('active', 'Active'), ('disrupted', 'Disrupted'), ('dismantled', 'Dismantled'), ('unknown', 'Unknown')], default='active', max_length=16, verbose_name='status')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='registered at')),
                    ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
                    ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                    ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='cooperation.network')),
                    ('registered_by', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='countries.country', verbose_name='registered by')),
                ],
                options={
                    'db_table': 'operations_networkevent',
                    'abstract': False,
                },
            ),
            migrations.CreateModel(
                name='Nomination',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=200, verbose_name='proposed investigation')),
                    ('purpose', models.TextField(blank=True, verbose_name='purpose')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='nominated at')),
                    ('converted_at', models.DateTimeField(blank=True, null=True, verbose_name='turned into an investigation at')),
                    ('converted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('investigation', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='nomination', to='cooperation.jointinvestigation', verbose_name='joint investigation')),
                    ('network', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='nominations', to='cooperation.network', verbose_name='network')),
                    ('nominated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('proposing_country', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='countries.country', verbose_name='nominated by')),
                ],
                options={
                    'verbose_name': 'nomination',
                    'verbose_name_plural': 'nominations',
                    'db_table': 'operations_nomination',
                    'ordering': ['meeting', 'proposing_country__name', 'pk'],
                },
            ),
            migrations.CreateModel(
                name='NominationPartner',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('answer', models.CharField(choices=[('pending', 'Awaiting answer'), ('accepted', 'Accepted'), ('declined', 'Declined')], default='pending', max_length=16, verbose_name='answer')),
                    ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered at')),
                    ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('country', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='countries.country', verbose_name='partner country')),
                    ('nomination', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='partners', to='cooperation.nomination')),
                ],
                options={
                    'verbose_name': 'partner country',
                    'verbose_name_plural': 'partner countries',
                    'db_table': 'operations_nominationpartner',
                    'ordering': ['nomination', 'country__name'],
                },
            ),
            migrations.CreateModel(
                name='NominationPartnerEvent',
                fields=[
                    ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                    ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                    ('pgh_label', models.TextField(help_text='The event label.')),
                    ('id', models.BigIntegerField()),
                    ('answer', models.CharField(choices=[('pending', 'Awaiting answer'), ('accepted', 'Accepted'), ('declined', 'Declined')], default='pending', max_length=16, verbose_name='answer')),
                    ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered at')),
                    ('answered_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
                    ('country', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='countries.country', verbose_name='partner country')),
                    ('nomination', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperation.nomination')),
                    ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                    ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='cooperation.nominationpartner')),
                ],
                options={
                    'db_table': 'operations_nominationpartnerevent',
                    'abstract': False,
                },
            ),
            migrations.CreateModel(
                name='PlanningMeeting',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('held_on', models.DateField(verbose_name='held on')),
                    ('place', models.CharField(blank=True, max_length=200, verbose_name='place')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('joint_operation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='planning_meetings', to='operations.jointoperation', verbose_name='next joint initiative')),
                ],
                options={
                    'verbose_name': 'planning meeting',
                    'verbose_name_plural': 'planning meetings',
                    'db_table': 'operations_planningmeeting',
                    'ordering': ['-held_on', '-pk'],
                },
            ),
            migrations.CreateModel(
                name='NominationEvent',
                fields=[
                    ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                    ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                    ('pgh_label', models.TextField(help_text='The event label.')),
                    ('id', models.BigIntegerField()),
                    ('title', models.CharField(max_length=200, verbose_name='proposed investigation')),
                    ('purpose', models.TextField(blank=True, verbose_name='purpose')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='nominated at')),
                    ('converted_at', models.DateTimeField(blank=True, null=True, verbose_name='turned into an investigation at')),
                    ('converted_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
                    ('investigation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperation.jointinvestigation', verbose_name='joint investigation')),
                    ('network', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperation.network', verbose_name='network')),
                    ('nominated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
                    ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                    ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='cooperation.nomination')),
                    ('proposing_country', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='countries.country', verbose_name='nominated by')),
                    ('meeting', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperation.planningmeeting', verbose_name='planning meeting')),
                ],
                options={
                    'db_table': 'operations_nominationevent',
                    'abstract': False,
                },
            ),
            migrations.AddField(
                model_name='nomination',
                name='meeting',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='nominations', to='cooperation.planningmeeting', verbose_name='planning meeting'),
            ),
            migrations.CreateModel(
                name='PlanningMeetingEvent',
                fields=[
                    ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                    ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                    ('pgh_label', models.TextField(help_text='The event label.')),
                    ('id', models.BigIntegerField()),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('held_on', models.DateField(verbose_name='held on')),
                    ('place', models.CharField(blank=True, max_length=200, verbose_name='place')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                    ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
                    ('joint_operation', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='operations.jointoperation', verbose_name='next joint initiative')),
                    ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                    ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='cooperation.planningmeeting')),
                ],
                options={
                    'db_table': 'operations_planningmeetingevent',
                    'abstract': False,
                },
            ),
            migrations.AddConstraint(
                model_name='investigationmember',
                constraint=models.UniqueConstraint(fields=('investigation', 'country'), name='investigation_member_once'),
            ),
            migrations.AlterUniqueTogether(
                name='jointinvestigationgroupobjectpermission',
                unique_together={('group', 'permission', 'content_object')},
            ),
            migrations.AddConstraint(
                model_name='jointinvestigation',
                constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='joint_investigation_period_ordered', violation_error_message='The period must end on or after its start date.'),
            ),
            migrations.AddConstraint(
                model_name='nominationpartner',
                constraint=models.UniqueConstraint(fields=('nomination', 'country'), name='nomination_partner_once'),
            ),
            migrations.AddConstraint(
                model_name='nominationpartner',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('answer', 'pending'), ('answered_at__isnull', True)), models.Q(models.Q(('answer', 'pending'), _negated=True), ('answered_at__isnull', False)), _connector='OR'), name='nomination_partner_answered_has_time', violation_error_message='An answer has a time, and only an answer.'),
            ),
            migrations.AddConstraint(
                model_name='nomination',
                constraint=models.UniqueConstraint(fields=('meeting', 'network'), name='nomination_network_once_per_meeting', violation_error_message='This network is already nominated at this meeting.'),
            ),
        ], database_operations=[]),
        # The audit triggers are named after their app: made anew here, dropped in the old app.
        pgtrigger.migrations.AddTrigger(
            model_name='investigationnoteevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='6c68f5300e51af87bddaf7d52b096d2edbd270e0', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_83561', table='operations_investigationnoteevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='investigationnote',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_investigationnoteevent" ("author_id", "country_id", "created_at", "id", "investigation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "text") VALUES (NEW."author_id", NEW."country_id", NEW."created_at", NEW."id", NEW."investigation_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."text"); RETURN NULL;', hash='43676e29e0b6bcc21789e03a1d7238120c91ee43', operation='INSERT', pgid='pgtrigger_insert_insert_dd410', table='operations_investigationnote', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='investigationnote',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "operations_investigationnoteevent" ("author_id", "country_id", "created_at", "id", "investigation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "text") VALUES (NEW."author_id", NEW."country_id", NEW."created_at", NEW."id", NEW."investigation_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."text"); RETURN NULL;', hash='d890a0cbb75aa6824349378600105cf43bac63d7', operation='UPDATE', pgid='pgtrigger_update_update_2affd', table='operations_investigationnote', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='investigationnote',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_investigationnoteevent" ("author_id", "country_id", "created_at", "id", "investigation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "text") VALUES (OLD."author_id", OLD."country_id", OLD."created_at", OLD."id", OLD."investigation_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."text"); RETURN NULL;', hash='9c15ff4f0ece87fc2cb595c1362c99176272d1d0', operation='DELETE', pgid='pgtrigger_delete_delete_97599', table='operations_investigationnote', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='investigationmemberevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='55ab24bf7e00c626323fe0d99e97136236366396', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_ec900', table='operations_investigationmemberevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='investigationmember',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_investigationmemberevent" ("changed_at", "changed_by_id", "country_id", "id", "investigation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "state") VALUES (NEW."changed_at", NEW."changed_by_id", NEW."country_id", NEW."id", NEW."investigation_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."state"); RETURN NULL;', hash='3984b3fc05e529d1eb7cb0a1be9b54023f8e3e18', operation='INSERT', pgid='pgtrigger_insert_insert_0c456', table='operations_investigationmember', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='investigationmember',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "operations_investigationmemberevent" ("changed_at", "changed_by_id", "country_id", "id", "investigation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "state") VALUES (NEW."changed_at", NEW."changed_by_id", NEW."country_id", NEW."id", NEW."investigation_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."state"); RETURN NULL;', hash='9a30c8ff86c1ed3b31595593f3fe5b7c4e6fb6af', operation='UPDATE', pgid='pgtrigger_update_update_18314', table='operations_investigationmember', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='investigationmember',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_investigationmemberevent" ("changed_at", "changed_by_id", "country_id", "id", "investigation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "state") VALUES (OLD."changed_at", OLD."changed_by_id", OLD."country_id", OLD."id", OLD."investigation_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."state"); RETURN NULL;', hash='2197ef113a6ead06799411c088ca25837220a447', operation='DELETE', pgid='pgtrigger_delete_delete_a34d5', table='operations_investigationmember', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='network',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_networkevent" ("aliases", "created_at", "created_by_id", "crime_types", "id", "modus_operandi", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "registered_by_id", "sectors", "status") VALUES (NEW."aliases", NEW."created_at", NEW."created_by_id", NEW."crime_types", NEW."id", NEW."modus_operandi", NEW."name", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."registered_by_id", NEW."sectors", NEW."status"); RETURN NULL;', hash='95a9900038b9caabfd2a37e75c262239ff6b8d2d', operation='INSERT', pgid='pgtrigger_insert_insert_c7c50', table='operations_network', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='network',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "operations_networkevent" ("aliases", "created_at", "created_by_id", "crime_types", "id", "modus_operandi", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "registered_by_id", "sectors", "status") VALUES (NEW."aliases", NEW."created_at", NEW."created_by_id", NEW."crime_types", NEW."id", NEW."modus_operandi", NEW."name", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."registered_by_id", NEW."sectors", NEW."status"); RETURN NULL;', hash='b6187bbdde7dfbcd740df7bd4c339f6caba73821', operation='UPDATE', pgid='pgtrigger_update_update_c458c', table='operations_network', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='network',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_networkevent" ("aliases", "created_at", "created_by_id", "crime_types", "id", "modus_operandi", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "registered_by_id", "sectors", "status") VALUES (OLD."aliases", OLD."created_at", OLD."created_by_id", OLD."crime_types", OLD."id", OLD."modus_operandi", OLD."name", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."registered_by_id", OLD."sectors", OLD."status"); RETURN NULL;', hash='091cdae83eab85f420073a8eac3d2dd8bf57ecf0', operation='DELETE', pgid='pgtrigger_delete_delete_e77c2', table='operations_network', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='jointinvestigationevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='37f90b8c6d684b0ce1664a22fd6102b66b479221', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_56ab1', table='operations_jointinvestigationevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='jointinvestigation',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_jointinvestigationevent" ("created_at", "ends_on", "id", "joint_operation_id", "lead_country_id", "network_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "proposed_by_id", "purpose", "starts_on", "status", "title") VALUES (NEW."created_at", NEW."ends_on", NEW."id", NEW."joint_operation_id", NEW."lead_country_id", NEW."network_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."proposed_by_id", NEW."purpose", NEW."starts_on", NEW."status", NEW."title"); RETURN NULL;', hash='fdc379e2b428c98b10b245611556e9df0b5eb88e', operation='INSERT', pgid='pgtrigger_insert_insert_8f1b9', table='operations_jointinvestigation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='jointinvestigation',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "operations_jointinvestigationevent" ("created_at", "ends_on", "id", "joint_operation_id", "lead_country_id", "network_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "proposed_by_id", "purpose", "starts_on", "status", "title") VALUES (NEW."created_at", NEW."ends_on", NEW."id", NEW."joint_operation_id", NEW."lead_country_id", NEW."network_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."proposed_by_id", NEW."purpose", NEW."starts_on", NEW."status", NEW."title"); RETURN NULL;', hash='80f013872762feab53e62eaa53c17ca9e1a4c599', operation='UPDATE', pgid='pgtrigger_update_update_43106', table='operations_jointinvestigation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='jointinvestigation',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_jointinvestigationevent" ("created_at", "ends_on", "id", "joint_operation_id", "lead_country_id", "network_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "proposed_by_id", "purpose", "starts_on", "status", "title") VALUES (OLD."created_at", OLD."ends_on", OLD."id", OLD."joint_operation_id", OLD."lead_country_id", OLD."network_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."proposed_by_id", OLD."purpose", OLD."starts_on", OLD."status", OLD."title"); RETURN NULL;', hash='066cef8fd930fd457356109236b49108585d3b17', operation='DELETE', pgid='pgtrigger_delete_delete_53973', table='operations_jointinvestigation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='networkevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='62885f077450bc97b3c0aa194895c70361095066', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_a3ba0', table='operations_networkevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='nominationpartner',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_nominationpartnerevent" ("answer", "answered_at", "answered_by_id", "country_id", "id", "nomination_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id") VALUES (NEW."answer", NEW."answered_at", NEW."answered_by_id", NEW."country_id", NEW."id", NEW."nomination_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id"); RETURN NULL;', hash='ad19a9fe84d4d182a97dab376e6cd9c1e833e56d', operation='INSERT', pgid='pgtrigger_insert_insert_fc2d3', table='operations_nominationpartner', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='nominationpartner',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "operations_nominationpartnerevent" ("answer", "answered_at", "answered_by_id", "country_id", "id", "nomination_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id") VALUES (NEW."answer", NEW."answered_at", NEW."answered_by_id", NEW."country_id", NEW."id", NEW."nomination_id", _pgh_attach_context(), NOW(), \'update\', NEW."id"); RETURN NULL;', hash='23037bfaadb94cf37b18f758a3e0ee1c927141aa', operation='UPDATE', pgid='pgtrigger_update_update_9c0b5', table='operations_nominationpartner', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='nominationpartner',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_nominationpartnerevent" ("answer", "answered_at", "answered_by_id", "country_id", "id", "nomination_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id") VALUES (OLD."answer", OLD."answered_at", OLD."answered_by_id", OLD."country_id", OLD."id", OLD."nomination_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id"); RETURN NULL;', hash='d3cb8a24986aa04da395659d7831c95a868fd061', operation='DELETE', pgid='pgtrigger_delete_delete_bca2a', table='operations_nominationpartner', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='nominationpartnerevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='2576895d23839cc781950dca812233bba09c284a', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_dfd4e', table='operations_nominationpartnerevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='planningmeeting',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_planningmeetingevent" ("created_at", "created_by_id", "held_on", "id", "joint_operation_id", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "place") VALUES (NEW."created_at", NEW."created_by_id", NEW."held_on", NEW."id", NEW."joint_operation_id", NEW."name", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."place"); RETURN NULL;', hash='c880c0f9d70509b8ac0ccb0585e4d72fd807b028', operation='INSERT', pgid='pgtrigger_insert_insert_912a7', table='operations_planningmeeting', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='planningmeeting',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "operations_planningmeetingevent" ("created_at", "created_by_id", "held_on", "id", "joint_operation_id", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "place") VALUES (NEW."created_at", NEW."created_by_id", NEW."held_on", NEW."id", NEW."joint_operation_id", NEW."name", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."place"); RETURN NULL;', hash='6f004f6e3f48fcd1d893a4f19787471b81782616', operation='UPDATE', pgid='pgtrigger_update_update_b479f', table='operations_planningmeeting', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='planningmeeting',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_planningmeetingevent" ("created_at", "created_by_id", "held_on", "id", "joint_operation_id", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "place") VALUES (OLD."created_at", OLD."created_by_id", OLD."held_on", OLD."id", OLD."joint_operation_id", OLD."name", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."place"); RETURN NULL;', hash='0c53467970ae53fdf28c4fe7b9388027653707eb', operation='DELETE', pgid='pgtrigger_delete_delete_45695', table='operations_planningmeeting', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='nominationevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='c46e1476061b5cb0a9171ca43cfe68e1722b4c61', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_51b48', table='operations_nominationevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='nomination',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_nominationevent" ("converted_at", "converted_by_id", "created_at", "id", "investigation_id", "meeting_id", "network_id", "nominated_by_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "proposing_country_id", "purpose", "title") VALUES (NEW."converted_at", NEW."converted_by_id", NEW."created_at", NEW."id", NEW."investigation_id", NEW."meeting_id", NEW."network_id", NEW."nominated_by_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."proposing_country_id", NEW."purpose", NEW."title"); RETURN NULL;', hash='6886c4ca2a7ebb409cdb2ce296537c7edea4aca5', operation='INSERT', pgid='pgtrigger_insert_insert_ba76e', table='operations_nomination', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='nomination',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "operations_nominationevent" ("converted_at", "converted_by_id", "created_at", "id", "investigation_id", "meeting_id", "network_id", "nominated_by_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "proposing_country_id", "purpose", "title") VALUES (NEW."converted_at", NEW."converted_by_id", NEW."created_at", NEW."id", NEW."investigation_id", NEW."meeting_id", NEW."network_id", NEW."nominated_by_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."proposing_country_id", NEW."purpose", NEW."title"); RETURN NULL;', hash='6906c027df83c56be98aa8064f4c74091ca3c4fb', operation='UPDATE', pgid='pgtrigger_update_update_8d170', table='operations_nomination', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='nomination',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "operations_nominationevent" ("converted_at", "converted_by_id", "created_at", "id", "investigation_id", "meeting_id", "network_id", "nominated_by_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "proposing_country_id", "purpose", "title") VALUES (OLD."converted_at", OLD."converted_by_id", OLD."created_at", OLD."id", OLD."investigation_id", OLD."meeting_id", OLD."network_id", OLD."nominated_by_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."proposing_country_id", OLD."purpose", OLD."title"); RETURN NULL;', hash='119695f09e09024e9575e18bd92dc8f02b5c5156', operation='DELETE', pgid='pgtrigger_delete_delete_d0313', table='operations_nomination', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='planningmeetingevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='435cad55754f66b404408d551316cbc2c9268f2a', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_270f2', table='operations_planningmeetingevent', when='BEFORE')),
        ),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=False),
        # Row-level security reads joint investigations' grants by their content type's app label.
        migrations.RunSQL(
            "".join(rls._policies(m, a, "cooperation") for m, a in rls.RECORD_TABLES),
            "".join(rls._policies(m, a, "operations") for m, a in rls.RECORD_TABLES),
        ),
    ]
