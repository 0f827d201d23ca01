"""Writes made inside a Celery task are audited with the task's name as context."""
from celery import shared_task
from pghistory.models import Events

from operations.models import ArrestRecord


@shared_task(name="tests.correct_arrest_count")
def correct_arrest_count(record_id: int, count: int) -> None:
    ArrestRecord.objects.filter(pk=record_id).update(count=count)


def test_task_writes_carry_the_task_name(world):
    # given
    record = world.own

    # when the task runs (in-process, through Celery's real tracer and signals)
    result = correct_arrest_count.apply(args=(record.pk, 41))

    # then exactly one update event, whose context names the task
    assert result.successful()
    events = Events.objects.filter(pgh_obj_model="operations.ArrestRecord", pgh_obj_id=str(record.pk),
                                   pgh_label="update")
    assert events.count() == 1
    event = events.get()
    assert event.pgh_diff["count"][1] == 41
    assert event.pgh_context["task"] == "tests.correct_arrest_count"
    assert event.pgh_context["task_id"] == result.id
