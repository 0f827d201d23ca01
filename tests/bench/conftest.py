"""The benchmark's marker: its test runs in the normal suite; ``-m "not bench"`` leaves it out."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "bench: the benchmark suite's code path at small scale (no timing asserted)")
