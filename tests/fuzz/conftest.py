"""The fuzz modules run on the demo copy (tests/databases.py), each test in its transaction."""
import pytest


@pytest.fixture
def fuzz_demo(demo):
    """The demo, for one test: whatever the test writes is undone after it."""
