"""Case counters that tests report at the end of the run (see conftest.pytest_terminal_summary)."""
from collections import Counter

CASES: Counter[str] = Counter()
