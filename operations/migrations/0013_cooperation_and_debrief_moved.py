"""Cooperation and the debrief workshop leave operations (issue 19): their audit triggers, named
after this app, are dropped (cooperation.0001 and reporting.0004 made them anew), and the
models leave Django's state; tables, rows and the records' foreign keys stay as they are."""
import pgtrigger.migrations

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cooperation', '0001_initial'),
        ('operations', '0012_nationality_iso_validator'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(model_name='network', name='insert_insert'),
        pgtrigger.migrations.RemoveTrigger(model_name='network', name='update_update'),
        pgtrigger.migrations.RemoveTrigger(model_name='network', name='delete_delete'),
        pgtrigger.migrations.RemoveTrigger(model_name='networkevent', name='append_only'),
        pgtrigger.migrations.RemoveTrigger(model_name='jointinvestigation', name='insert_insert'),
        pgtrigger.migrations.RemoveTrigger(model_name='jointinvestigation', name='update_update'),
        pgtrigger.migrations.RemoveTrigger(model_name='jointinvestigation', name='delete_delete'),
        pgtrigger.migrations.RemoveTrigger(model_name='jointinvestigationevent', name='append_only'),
        pgtrigger.migrations.RemoveTrigger(model_name='investigationmember', name='insert_insert'),
        pgtrigger.migrations.RemoveTrigger(model_name='investigationmember', name='update_update'),
        pgtrigger.migrations.RemoveTrigger(model_name='investigationmember', name='delete_delete'),
        pgtrigger.migrations.RemoveTrigger(model_name='investigationmemberevent', name='append_only'),
        pgtrigger.migrations.RemoveTrigger(model_name='investigationnote', name='insert_insert'),
        pgtrigger.migrations.RemoveTrigger(model_name='investigationnote', name='update_update'),
        pgtrigger.migrations.RemoveTrigger(model_name='investigationnote', name='delete_delete'),
        pgtrigger.migrations.RemoveTrigger(model_name='investigationnoteevent', name='append_only'),
        pgtrigger.migrations.RemoveTrigger(model_name='planningmeeting', name='insert_insert'),
        pgtrigger.migrations.RemoveTrigger(model_name='planningmeeting', name='update_update'),
        pgtrigger.migrations.RemoveTrigger(model_name='planningmeeting', name='delete_delete'),
        pgtrigger.migrations.RemoveTrigger(model_name='planningmeetingevent', name='append_only'),
        pgtrigger.migrations.RemoveTrigger(model_name='nomination', name='insert_insert'),
        pgtrigger.migrations.RemoveTrigger(model_name='nomination', name='update_update'),
        pgtrigger.migrations.RemoveTrigger(model_name='nomination', name='delete_delete'),
        pgtrigger.migrations.RemoveTrigger(model_name='nominationevent', name='append_only'),
        pgtrigger.migrations.RemoveTrigger(model_name='nominationpartner', name='insert_insert'),
        pgtrigger.migrations.RemoveTrigger(model_name='nominationpartner', name='update_update'),
        pgtrigger.migrations.RemoveTrigger(model_name='nominationpartner', name='delete_delete'),
        pgtrigger.migrations.RemoveTrigger(model_name='nominationpartnerevent', name='append_only'),
        pgtrigger.migrations.RemoveTrigger(model_name='debriefworkshop', name='insert_insert'),
        pgtrigger.migrations.RemoveTrigger(model_name='debriefworkshop', name='update_update'),
        pgtrigger.migrations.RemoveTrigger(model_name='debriefworkshop', name='delete_delete'),
        pgtrigger.migrations.RemoveTrigger(model_name='debriefworkshopevent', name='append_only'),
        pgtrigger.migrations.RemoveTrigger(model_name='lesson', name='insert_insert'),
        pgtrigger.migrations.RemoveTrigger(model_name='lesson', name='update_update'),
        pgtrigger.migrations.RemoveTrigger(model_name='lesson', name='delete_delete'),
        pgtrigger.migrations.RemoveTrigger(model_name='lessonevent', name='append_only'),
        pgtrigger.migrations.RemoveTrigger(model_name='recommendation', name='insert_insert'),
        pgtrigger.migrations.RemoveTrigger(model_name='recommendation', name='update_update'),
        pgtrigger.migrations.RemoveTrigger(model_name='recommendation', name='delete_delete'),
        pgtrigger.migrations.RemoveTrigger(model_name='recommendationevent', name='append_only'),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.RemoveField(
                model_name='debriefworkshopevent',
                name='pgh_obj',
            ),
            migrations.RemoveField(
                model_name='recommendation',
                name='workshop',
            ),
            migrations.RemoveField(
                model_name='recommendationevent',
                name='workshop',
            ),
            migrations.RemoveField(
                model_name='lessonevent',
                name='workshop',
            ),
            migrations.RemoveField(
                model_name='lesson',
                name='workshop',
            ),
            migrations.RemoveField(
                model_name='debriefworkshopevent',
                name='joint_operation',
            ),
            migrations.RemoveField(
                model_name='debriefworkshopevent',
                name='pgh_context',
            ),
            migrations.RemoveField(
                model_name='investigationmember',
                name='changed_by',
            ),
            migrations.RemoveField(
                model_name='investigationmember',
                name='country',
            ),
            migrations.RemoveField(
                model_name='investigationmember',
                name='investigation',
            ),
            migrations.RemoveField(
                model_name='investigationmemberevent',
                name='pgh_obj',
            ),
            migrations.RemoveField(
                model_name='investigationmemberevent',
                name='changed_by',
            ),
            migrations.RemoveField(
                model_name='investigationmemberevent',
                name='country',
            ),
            migrations.RemoveField(
                model_name='investigationmemberevent',
                name='investigation',
            ),
            migrations.RemoveField(
                model_name='investigationmemberevent',
                name='pgh_context',
            ),
            migrations.RemoveField(
                model_name='investigationnote',
                name='author',
            ),
            migrations.RemoveField(
                model_name='investigationnote',
                name='country',
            ),
            migrations.RemoveField(
                model_name='investigationnote',
                name='investigation',
            ),
            migrations.RemoveField(
                model_name='investigationnoteevent',
                name='pgh_obj',
            ),
            migrations.RemoveField(
                model_name='investigationnoteevent',
                name='author',
            ),
            migrations.RemoveField(
                model_name='investigationnoteevent',
                name='country',
            ),
            migrations.RemoveField(
                model_name='investigationnoteevent',
                name='investigation',
            ),
            migrations.RemoveField(
                model_name='investigationnoteevent',
                name='pgh_context',
            ),
            migrations.RemoveField(
                model_name='jointinvestigation',
                name='joint_operation',
            ),
            migrations.RemoveField(
                model_name='jointinvestigation',
                name='lead_country',
            ),
            migrations.RemoveField(
                model_name='jointinvestigation',
                name='network',
            ),
            migrations.RemoveField(
                model_name='jointinvestigation',
                name='proposed_by',
            ),
            migrations.AlterField(
                model_name='awarenessactivityrecordevent',
                name='joint_investigation',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperation.jointinvestigation', verbose_name='joint investigation'),
            ),
            migrations.AlterField(
                model_name='investigationrecord',
                name='joint_investigation',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cooperation.jointinvestigation', verbose_name='joint investigation'),
            ),
            migrations.AlterField(
                model_name='enquiryrecord',
                name='joint_investigation',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cooperation.jointinvestigation', verbose_name='joint investigation'),
            ),
            migrations.RemoveField(
                model_name='nominationevent',
                name='investigation',
            ),
            migrations.AlterField(
                model_name='intelligencereport',
                name='joint_investigation',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cooperation.jointinvestigation', verbose_name='joint investigation'),
            ),
            migrations.AlterField(
                model_name='suspectrecordevent',
                name='joint_investigation',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperation.jointinvestigation', verbose_name='joint investigation'),
            ),
            migrations.AlterField(
                model_name='suspectrecord',
                name='joint_investigation',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cooperation.jointinvestigation', verbose_name='joint investigation'),
            ),
            migrations.AlterField(
                model_name='trainingsessionrecord',
                name='joint_investigation',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cooperation.jointinvestigation', verbose_name='joint investigation'),
            ),
            migrations.AlterField(
                model_name='searchwarrantrecordevent',
                name='joint_investigation',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperation.jointinvestigation', verbose_name='joint investigation'),
            ),
            migrations.RemoveField(
                model_name='jointinvestigationevent',
                name='pgh_obj',
            ),
            migrations.AlterField(
                model_name='awarenessactivityrecord',
                name='joint_investigation',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cooperation.jointinvestigation', verbose_name='joint investigation'),
            ),
            migrations.AlterField(
                model_name='trainingsessionrecordevent',
                name='joint_investigation',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperation.jointinvestigation', verbose_name='joint investigation'),
            ),
            migrations.AlterField(
                model_name='intelligencereportevent',
                name='joint_investigation',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperation.jointinvestigation', verbose_name='joint investigation'),
            ),
            migrations.AlterField(
                model_name='searchwarrantrecord',
                name='joint_investigation',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cooperation.jointinvestigation', verbose_name='joint investigation'),
            ),
            migrations.AlterField(
                model_name='victimassistancerecordevent',
                name='joint_investigation',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperation.jointinvestigation', verbose_name='joint investigation'),
            ),
            migrations.AlterField(
                model_name='arrestrecord',
                name='joint_investigation',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cooperation.jointinvestigation', verbose_name='joint investigation'),
            ),
            migrations.AlterField(
                model_name='investigationrecordevent',
                name='joint_investigation',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperation.jointinvestigation', verbose_name='joint investigation'),
            ),
            migrations.AlterField(
                model_name='victimassistancerecord',
                name='joint_investigation',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cooperation.jointinvestigation', verbose_name='joint investigation'),
            ),
            migrations.RemoveField(
                model_name='jointinvestigationgroupobjectpermission',
                name='content_object',
            ),
            migrations.AlterField(
                model_name='enquiryrecordevent',
                name='joint_investigation',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperation.jointinvestigation', verbose_name='joint investigation'),
            ),
            migrations.RemoveField(
                model_name='nomination',
                name='investigation',
            ),
            migrations.AlterField(
                model_name='arrestrecordevent',
                name='joint_investigation',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperation.jointinvestigation', verbose_name='joint investigation'),
            ),
            migrations.RemoveField(
                model_name='jointinvestigationevent',
                name='joint_operation',
            ),
            migrations.RemoveField(
                model_name='jointinvestigationevent',
                name='lead_country',
            ),
            migrations.RemoveField(
                model_name='jointinvestigationevent',
                name='network',
            ),
            migrations.RemoveField(
                model_name='jointinvestigationevent',
                name='pgh_context',
            ),
            migrations.RemoveField(
                model_name='jointinvestigationevent',
                name='proposed_by',
            ),
            migrations.AlterUniqueTogether(
                name='jointinvestigationgroupobjectpermission',
                unique_together=None,
            ),
            migrations.RemoveField(
                model_name='jointinvestigationgroupobjectpermission',
                name='group',
            ),
            migrations.RemoveField(
                model_name='jointinvestigationgroupobjectpermission',
                name='permission',
            ),
            migrations.RemoveField(
                model_name='lesson',
                name='country',
            ),
            migrations.RemoveField(
                model_name='lesson',
                name='updated_by',
            ),
            migrations.RemoveField(
                model_name='lessonevent',
                name='pgh_obj',
            ),
            migrations.RemoveField(
                model_name='lessonevent',
                name='country',
            ),
            migrations.RemoveField(
                model_name='lessonevent',
                name='pgh_context',
            ),
            migrations.RemoveField(
                model_name='lessonevent',
                name='updated_by',
            ),
            migrations.RemoveField(
                model_name='network',
                name='countries_active',
            ),
            migrations.RemoveField(
                model_name='network',
                name='created_by',
            ),
            migrations.RemoveField(
                model_name='network',
                name='registered_by',
            ),
            migrations.RemoveField(
                model_name='network',
                name='shared_with',
            ),
            migrations.AlterField(
                model_name='suspectrecord',
                name='network',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='suspect_records', to='cooperation.network', verbose_name='network'),
            ),
            migrations.AlterField(
                model_name='suspectrecordevent',
                name='network',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperation.network', verbose_name='network'),
            ),
            migrations.RemoveField(
                model_name='networkevent',
                name='pgh_obj',
            ),
            migrations.AlterField(
                model_name='intelligencereportevent',
                name='network',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperation.network', verbose_name='network'),
            ),
            migrations.AlterField(
                model_name='investigationrecordevent',
                name='network',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperation.network', verbose_name='network'),
            ),
            migrations.RemoveField(
                model_name='nomination',
                name='network',
            ),
            migrations.AlterField(
                model_name='investigationrecord',
                name='network',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='investigation_records', to='cooperation.network', verbose_name='network'),
            ),
            migrations.RemoveField(
                model_name='nominationevent',
                name='network',
            ),
            migrations.AlterField(
                model_name='intelligencereport',
                name='network',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='intelligence_reports', to='cooperation.network', verbose_name='network'),
            ),
            migrations.RemoveField(
                model_name='networkevent',
                name='created_by',
            ),
            migrations.RemoveField(
                model_name='networkevent',
                name='pgh_context',
            ),
            migrations.RemoveField(
                model_name='networkevent',
                name='registered_by',
            ),
            migrations.RemoveField(
                model_name='nomination',
                name='converted_by',
            ),
            migrations.RemoveField(
                model_name='nomination',
                name='meeting',
            ),
            migrations.RemoveField(
                model_name='nomination',
                name='nominated_by',
            ),
            migrations.RemoveField(
                model_name='nomination',
                name='proposing_country',
            ),
            migrations.RemoveField(
                model_name='nominationevent',
                name='pgh_obj',
            ),
            migrations.RemoveField(
                model_name='nominationpartnerevent',
                name='nomination',
            ),
            migrations.RemoveField(
                model_name='nominationpartner',
                name='nomination',
            ),
            migrations.RemoveField(
                model_name='nominationevent',
                name='converted_by',
            ),
            migrations.RemoveField(
                model_name='nominationevent',
                name='meeting',
            ),
            migrations.RemoveField(
                model_name='nominationevent',
                name='nominated_by',
            ),
            migrations.RemoveField(
                model_name='nominationevent',
                name='pgh_context',
            ),
            migrations.RemoveField(
                model_name='nominationevent',
                name='proposing_country',
            ),
            migrations.RemoveField(
                model_name='nominationpartner',
                name='answered_by',
            ),
            migrations.RemoveField(
                model_name='nominationpartner',
                name='country',
            ),
            migrations.RemoveField(
                model_name='nominationpartnerevent',
                name='pgh_obj',
            ),
            migrations.RemoveField(
                model_name='nominationpartnerevent',
                name='answered_by',
            ),
            migrations.RemoveField(
                model_name='nominationpartnerevent',
                name='country',
            ),
            migrations.RemoveField(
                model_name='nominationpartnerevent',
                name='pgh_context',
            ),
            migrations.RemoveField(
                model_name='planningmeeting',
                name='created_by',
            ),
            migrations.RemoveField(
                model_name='planningmeeting',
                name='joint_operation',
            ),
            migrations.RemoveField(
                model_name='planningmeetingevent',
                name='pgh_obj',
            ),
            migrations.RemoveField(
                model_name='planningmeetingevent',
                name='created_by',
            ),
            migrations.RemoveField(
                model_name='planningmeetingevent',
                name='joint_operation',
            ),
            migrations.RemoveField(
                model_name='planningmeetingevent',
                name='pgh_context',
            ),
            migrations.RemoveField(
                model_name='recommendationevent',
                name='pgh_obj',
            ),
            migrations.RemoveField(
                model_name='recommendationevent',
                name='pgh_context',
            ),
            migrations.DeleteModel(
                name='DebriefWorkshop',
            ),
            migrations.DeleteModel(
                name='DebriefWorkshopEvent',
            ),
            migrations.DeleteModel(
                name='InvestigationMember',
            ),
            migrations.DeleteModel(
                name='InvestigationMemberEvent',
            ),
            migrations.DeleteModel(
                name='InvestigationNote',
            ),
            migrations.DeleteModel(
                name='InvestigationNoteEvent',
            ),
            migrations.DeleteModel(
                name='JointInvestigation',
            ),
            migrations.DeleteModel(
                name='JointInvestigationEvent',
            ),
            migrations.DeleteModel(
                name='JointInvestigationGroupObjectPermission',
            ),
            migrations.DeleteModel(
                name='Lesson',
            ),
            migrations.DeleteModel(
                name='LessonEvent',
            ),
            migrations.DeleteModel(
                name='Network',
            ),
            migrations.DeleteModel(
                name='NetworkEvent',
            ),
            migrations.DeleteModel(
                name='Nomination',
            ),
            migrations.DeleteModel(
                name='NominationEvent',
            ),
            migrations.DeleteModel(
                name='NominationPartner',
            ),
            migrations.DeleteModel(
                name='NominationPartnerEvent',
            ),
            migrations.DeleteModel(
                name='PlanningMeeting',
            ),
            migrations.DeleteModel(
                name='PlanningMeetingEvent',
            ),
            migrations.DeleteModel(
                name='Recommendation',
            ),
            migrations.DeleteModel(
                name='RecommendationEvent',
            ),
        ], database_operations=[]),
    ]
