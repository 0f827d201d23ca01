"""The models that moved app in issue 19 (the API's to ``api``, cooperation's to ``cooperation``,
the debrief workshop's to ``reporting``) kept their rows, their audit and their grants.

On the demo with a shared joint investigation, the migrations are undone to before the moves and
applied again (inside the test's transaction, rolled back after it): every row is still there,
the content types carry the new app's label, a member country still reads the investigation and
the record attributed to it, and the audit triggers record a change under the new app.
"""
from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from api.services import api_token_create
from cooperation import models as cm
from cooperation import policies as cooperation_policies
from countries import access
from operations import models as om
from reporting import models as rm
from tests.cooperation import shared_investigation, user

BEFORE = [("countries", "0003_api_tokens"), ("operations", "0012_nationality_iso_validator"),
          ("reporting", "0003_exportjob_attempts")]
MOVED = {
    "api": ["apitoken", "apitokenevent", "idempotencykey"],
    "cooperation": ["network", "jointinvestigation", "investigationmember", "investigationnote",
                    "jointinvestigationgroupobjectpermission", "planningmeeting", "nomination",
                    "nominationpartner", "networkevent", "jointinvestigationevent"],
    "reporting": ["debriefworkshop", "lesson", "recommendation", "recommendationevent"],
}
OLD_LABEL = {"api": "countries", "cooperation": "operations", "reporting": "operations"}


def _rows(*, before=False) -> dict[str, int]:
    counted = {}
    for label, names in MOVED.items():
        for name in names:
            table = apps.get_model(label, name)._meta.db_table
            if before:  # the API's tables were renamed (api.0001); the others kept their names
                table = table.replace("api_", "countries_", 1)
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                counted[f"{label}.{name}"] = cursor.fetchone()[0]
    return counted


def _labels() -> dict[str, str]:
    names = [name for names in MOVED.values() for name in names]
    return dict(ContentType.objects.filter(model__in=names)
                .exclude(app_label__in=["pghistory"]).values_list("model", "app_label"))


def _migrate(targets) -> None:
    with connection.cursor() as cursor:  # deferred checks of the test's writes run now: ALTER
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TABLE refuses a table that has some
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()


@pytest.mark.django_db
def test_moves_keep_rows_content_types_grants_and_audit(demo):
    investigation = shared_investigation()
    api_token_create(user=user("officer.tha"), name="nightly upload")
    for label, names in MOVED.items():  # every moved model has its content type (post_migrate)
        for name in names:
            ContentType.objects.get_for_model(apps.get_model(label, name))
    rows = _rows()
    assert rows["cooperation.jointinvestigation"] >= 1 and rows["reporting.recommendation"] == 6
    assert rows["api.apitoken"] >= 1 and rows["cooperation.network"] >= 5
    malaysian = user("officer.mys")
    readable = set(cooperation_policies.investigations_visible(malaysian, cm.JointInvestigation.objects.all()))
    assert investigation in readable

    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate(BEFORE)
    assert _rows(before=True) == rows
    before = _labels()
    for label, names in MOVED.items():
        assert {before[name] for name in names} == {OLD_LABEL[label]}

    _migrate(leaves)
    assert _rows() == rows
    after = _labels()
    for label, names in MOVED.items():
        assert {after[name] for name in names} == {label}
    assert set(cooperation_policies.investigations_visible(
        malaysian, cm.JointInvestigation.objects.all())) == readable
    # The record attributed to the investigation: read by the member through the ORM's rules.
    assert access.records_visible(malaysian, om.ArrestRecord.objects.filter(
        pk=investigation.thai_record.pk)).exists()
    # The audit triggers, made anew under the new app, record a change.
    network = investigation.network
    events = cm.Network.pgh_event_model.objects.filter(pgh_obj=network).count()
    cm.Network.objects.filter(pk=network.pk).update(modus_operandi="Changed after the move.")
    assert cm.Network.pgh_event_model.objects.filter(pgh_obj=network).count() == events + 1
    recommendation = rm.Recommendation.objects.first()
    rm.Recommendation.objects.filter(pk=recommendation.pk).update(progress_note="Under way.")
    assert rm.Recommendation.pgh_event_model.objects.filter(
        pgh_obj=recommendation, pgh_label="update").exists()
