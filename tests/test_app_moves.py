"""The models that moved app in issue 19 (the API's to ``api``, cooperation's to ``cooperation``,
the debrief workshop's to ``reporting``) kept their rows, their audit and their grants.

On the demo with a shared joint investigation, the migrations are undone to before the moves and
applied again (inside the test's transaction, rolled back after it): every row is still there,
the content types carry the new app's label, a member country still reads the investigation and
the record attributed to it, and the audit triggers record a change under the new app.

The round trip runs the real migrations' operations, in the order Django's executor plans and
runs them, with the project states before and after each operation that it would hand them;
but it works out those states once, for both directions. ``MigrationExecutor.migrate`` works them out three times (every
state before the migrations it undoes, then each migration's own while undoing it, then again
while applying it), each time re-rendering the models related to the one an operation changes,
which on this project (every audit event model points at the user and country models) took
about three minutes (174 s on a quiet machine), nearly all of this test's time.
"""
from __future__ import annotations

from contextlib import nullcontext

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.migrations.exceptions import IrreversibleError
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

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


def _immediate_constraints() -> None:
    with connection.cursor() as cursor:  # deferred checks of the test's writes run now: ALTER
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TABLE refuses a table that has some


class RoundTrip:
    """Undo the migrations Django would undo to reach ``targets``, then apply them again, as
    ``MigrationExecutor.migrate(targets)`` and ``migrate(leaf_nodes)`` do: the same plans and
    order, each migration in its schema editor (atomic as the migration says), each operation's
    ``database_backwards`` / ``database_forwards`` with the states before and after it, and the
    migrations recorded as unapplied and applied. The states are worked out once."""

    def __init__(self, targets):
        self.executor = MigrationExecutor(connection)
        loader = self.executor.loader
        self.applied = set(loader.applied_migrations)
        plan = self.executor.migration_plan(targets)  # what migrate(targets) would undo, in order
        assert plan and all(backwards for _, backwards in plan)
        self.undo = [migration for migration, _ in plan]
        undone = set(self.undo)
        full_plan = [m for m, _ in self.executor.migration_plan(loader.graph.leaf_nodes(),
                                                                clean_start=True)]
        self.redo = [m for m in full_plan if m in undone]  # the order migrate() applies them in
        # The state without them (every other applied migration), rendered once; then one state
        # after each operation of each migration, as Migration.apply makes them.
        state = ProjectState(real_apps=loader.unmigrated_apps)
        for migration in full_plan:
            if (migration.app_label, migration.name) in self.applied and migration not in undone:
                migration.mutate_state(state, preserve=False)
        state.apps  # noqa: B018 (render)
        self.steps = {}  # migration -> [(operation, state before, state after)]
        for migration in self.redo:
            steps = self.steps[migration] = []
            for operation in migration.operations:
                after = state.clone()
                operation.state_forwards(migration.app_label, after)
                steps.append((operation, state, after))
                state = after

    def _run(self, migration, *, forwards: bool) -> None:
        steps = self.steps[migration] if forwards else reversed(self.steps[migration])
        with connection.schema_editor(atomic=migration.atomic) as editor:
            for operation, before, after in steps:
                if not forwards and not operation.reversible:
                    raise IrreversibleError(f"{operation} in {migration} is not reversible")
                atomic_operation = operation.atomic or (migration.atomic
                                                        and operation.atomic is not False)
                with (transaction.atomic(connection.alias)
                      if not editor.atomic_migration and atomic_operation else nullcontext()):
                    if forwards:
                        operation.database_forwards(migration.app_label, editor, before, after)
                    else:
                        operation.database_backwards(migration.app_label, editor, after, before)
        record = (self.executor.recorder.record_applied if forwards
                  else self.executor.recorder.record_unapplied)
        record(migration.app_label, migration.name)

    def backwards(self) -> None:
        _immediate_constraints()
        for migration in self.undo:
            self._run(migration, forwards=False)
        ContentType.objects.clear_cache()
        # Django agrees: nothing left to undo for the targets, and exactly these to apply.
        loader = MigrationLoader(connection)
        assert set(loader.applied_migrations) == self.applied - {
            (m.app_label, m.name) for m in self.undo}

    def forwards(self) -> None:
        _immediate_constraints()
        executor = MigrationExecutor(connection)
        planned = [m for m, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())]
        assert {(m.app_label, m.name) for m in planned} == {
            (m.app_label, m.name) for m in self.redo}
        for migration in self.redo:
            self._run(migration, forwards=True)
        ContentType.objects.clear_cache()
        assert set(MigrationLoader(connection).applied_migrations) == self.applied


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

    round_trip = RoundTrip(BEFORE)
    round_trip.backwards()
    assert _rows(before=True) == rows
    before = _labels()
    for label, names in MOVED.items():
        assert {before[name] for name in names} == {OLD_LABEL[label]}

    round_trip.forwards()
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
