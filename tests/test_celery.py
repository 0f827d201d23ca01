"""Tasks run in-process without a broker, and in a real worker through Redis with one."""
import pytest

from jpoa.celery import app
from operations.models import JointOperation
from reporting.tasks import regional_totals


def test_task_runs_in_process_without_a_broker(demo, monkeypatch):
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    joint_operation = JointOperation.objects.get(slug="jpoa-2015")

    result = regional_totals.delay(joint_operation.pk)

    assert result.get(timeout=1)["victims_assisted"] == 59


@pytest.mark.worker
def test_real_worker_executes_a_task_through_the_broker(celery_worker_queue):
    from operations.demo import demo_load

    demo_load()  # committed: the worker reads it over its own connection
    joint_operation = JointOperation.objects.get(slug="jpoa-2015")

    result = regional_totals.apply_async((joint_operation.pk,), queue=celery_worker_queue)

    totals = result.get(timeout=90)
    assert totals["arrests"] == 32
    assert totals["officers_trained"] == 485
    assert result.successful()
