"""The fuzz modules share one demo load each (rolled back at the end of the module)."""
import pytest
from django.db import transaction

from operations.demo import demo_load


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker):
    """The 2015 demo, loaded once for the module inside a transaction that is rolled back;
    each test runs in a savepoint of it (pytest-django's ``db``)."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            demo_load()
            yield
            transaction.set_rollback(True)


@pytest.fixture
def fuzz_demo(demo_module, db):
    """The demo, for one test: whatever the test writes is undone after it."""
