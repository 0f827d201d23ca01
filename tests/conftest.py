"""Fixtures shared by the whole suite: demo data, users, and a real Celery worker."""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from operations.demo import demo_load

BASE_DIR = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_configure(config):
    # The demo creates two dozen users; PBKDF2 at production strength would dominate the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    config.addinivalue_line("markers", "two_factor_unverified: logins in this test do not "
                            "verify a second factor (see two_factor_verified_logins)")


# The longest test files, longest first (``--durations`` of a quiet run): run first, they are
# shared out between the xdist workers at the start instead of ending the run on one worker
# while the other waits. Each file keeps its tests together (module fixtures set up once).
LONGEST_FIRST = (
    "tests/api/test_schemathesis.py", "tests/test_app_moves.py", "tests/test_backup.py",
    "tests/test_permission_matrix.py", "tests/faults/", "tests/test_cache_headers.py",
    "tests/browser/", "tests/test_gunicorn_headers.py", "tests/bench/",
    "tests/test_security_settings.py",
)


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        path = Path(str(item.fspath)).relative_to(BASE_DIR).as_posix()
        return next((n for n, prefix in enumerate(LONGEST_FIRST) if path.startswith(prefix)),
                    len(LONGEST_FIRST))

    items.sort(key=rank)  # stable: the order within a file and among the rest is kept


STATIC_CACHE = BASE_DIR / "var" / "test-static"


def _static_fingerprint() -> str:
    """What `collectstatic` would copy (every finder's files, their sizes and times) and how."""
    from django.contrib.staticfiles import finders

    digest = hashlib.sha256(repr(settings.STORAGES["staticfiles"]).encode())
    for finder in finders.get_finders():
        for path, storage in sorted(finder.list([]), key=lambda item: item[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def collect_static() -> Path:
    """The hashed, compressed static files every page links, collected once for these sources
    and kept under var/test-static/ for the next run (collectstatic takes 20-50 s here); a run
    of any pytest-xdist worker that finds them missing collects them under a file lock."""
    STATIC_CACHE.mkdir(parents=True, exist_ok=True)
    root = STATIC_CACHE / _static_fingerprint()
    with open(STATIC_CACHE / ".lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "staticfiles.json").exists():  # the manifest is written last
            # older sources' copies go, once no run can still be using them
            for old in STATIC_CACHE.iterdir():
                if old.is_dir() and time.time() - old.stat().st_mtime > 6 * 3600:
                    shutil.rmtree(old, ignore_errors=True)
            env = {**os.environ, "STATIC_ROOT": str(root), "STATIC_MANIFEST": "true",
                   "DATABASE_URL": "postgres://unused@127.0.0.1:1/none"}
            result = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput",
                                     "-v0"], cwd=BASE_DIR, env=env, capture_output=True,
                                    text=True, timeout=600)
            assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture(scope="session", autouse=True)
def static_files():
    """Every test renders and serves the collected files, as `make run` and production do; a
    child process (gunicorn, a worker) is pointed at them through STATIC_ROOT."""
    from django.test.utils import override_settings

    root = collect_static()
    os.environ["STATIC_ROOT"] = str(root)
    # WhiteNoise finds a file when asked (as under DEBUG) instead of listing all of them for
    # every test client it starts (70 ms each).
    with override_settings(STATIC_ROOT=str(root), WHITENOISE_AUTOREFRESH=True):
        yield root


@pytest.fixture(scope="session")
def live_server(request, static_files):
    """pytest-django's live server, with static files served by the portal's own WhiteNoise
    (hashed names, compressed copies, long cache) instead of Django's finder-based handler."""
    from pytest_django.live_server_helper import LiveServer

    address = (request.config.getvalue("liveserver")
               or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost")
    server = LiveServer(address, start=False)
    server.thread.static_handler = lambda application: application
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_keepdb,
                    django_db_createdb):
    """One migrated template and one demo template per run, cloned for this process (see
    tests/databases.py) instead of pytest-django's migrating a database per xdist worker.
    ``--reuse-db`` keeps them for the next run (``--create-db`` migrates afresh)."""
    from tests import databases

    workerinput = getattr(request.config, "workerinput", {})
    with django_db_blocker.unblock():
        databases.setup(worker_id=workerinput.get("workerid"),
                        run_id=workerinput.get("testrunuid"),
                        verbosity=request.config.option.verbose,
                        keepdb=django_db_keepdb and not django_db_createdb)
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            databases.teardown(drop_templates=not workerinput)


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef, request):
    """Before pytest-django opens a test's transaction (or connection): on the demo copy for a
    test that uses the demo, else on the empty one. Caches hold demo ids, the same every test."""
    if fixturedef.argname != "_django_db_helper":
        return
    from tests import databases

    databases.use(databases.database_for(request.node))
    if databases.on_demo_copy():
        from django.core.cache import caches

        for cache in caches.all():
            cache.clear()


def pytest_fixture_post_finalizer(fixturedef, request):
    """After the test: back on the empty copy, which module fixtures of the next test expect."""
    if fixturedef.argname == "_django_db_helper":
        from tests import databases

        if databases.names is not None:
            databases.use(databases.names.empty)


def _demo_in_place(request) -> bool:
    """True on the demo copy; False for a transactional test, which loads the demo itself."""
    from tests import databases

    if databases.on_demo_copy():
        return True
    assert databases.transactional(request.node), (
        "a test that uses the demo is not on the demo copy: see pytest_fixture_setup")
    return False


@pytest.fixture
def world(db, request):
    """The demo plus shares in both directions; see tests/world.py."""
    from tests.world import build_world

    return build_world(load_demo=not _demo_in_place(request))


@pytest.fixture
def demo(db, request):
    """The 2015 Joint Period of Action: already in the demo copy the test runs on (inside the
    test's transaction, rolled back after it); a transactional test loads (and commits) it."""
    if not _demo_in_place(request):
        demo_load()


@pytest.fixture
def demo_rolled_up(demo):
    """The demo with its totals added up by the real roll-up, as a running portal has them
    moments after loading it (the demo copy has none: no commit hooks ran when it was made)."""
    from reporting import rollups

    rollups.rollup()


def database_url_for_subprocess() -> str:
    """A DATABASE_URL pointing a child process at the database this test run uses."""
    from django.db import connection

    s = connection.settings_dict
    auth = s["USER"] + (f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else "")
    if (s["HOST"] or "").startswith("/"):  # the embedded server's Unix socket directory
        return f"postgres://{auth}@/{s['NAME']}?host={s['HOST']}"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{auth}@{s['HOST']}{port}/{s['NAME']}"


def require_broker() -> str:
    """The broker URL, or a skip (outside CI) / failure (in CI) when none is configured."""
    url = settings.CELERY_BROKER_URL
    if not url:
        if IN_CI:
            pytest.fail("CI=true but CELERY_BROKER_URL is not set: the worker tests cannot run.")
        pytest.skip("needs a broker: set CELERY_BROKER_URL=redis://127.0.0.1:6379/0 to run")
    return url


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Files the tests make (exports) go to a temporary folder, not var/media."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    return settings.MEDIA_ROOT


def two_factor_verify_session(client, user) -> None:
    """Mark ``client``'s session verified by a real confirmed TOTP device of ``user``, with
    django-otp's own session key, as its verify step would (made on first use)."""
    import time

    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from countries.two_factor import CHECKED_AT_SESSION_KEY

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="tests", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[CHECKED_AT_SESSION_KEY] = time.time()
    session.save()


@pytest.fixture(autouse=True)
def two_factor_verified_logins(request, monkeypatch):
    """Two-factor enforcement stays on in the suite: a test client's ``force_login`` (and
    ``login``) of a user whose role requires a second factor also verifies the session with a
    real TOTP device, and a browser test's ``Session.login`` types a real recovery code at the
    verify step. Tests of the verify step itself use ``@pytest.mark.two_factor_unverified``."""
    if request.node.get_closest_marker("two_factor_unverified"):
        return
    from django.contrib.auth import get_user_model
    from django.test import Client

    from countries import two_factor
    from countries.access import forget_scope

    force_login, login = Client.force_login, Client.login

    def verify_if_required(client, user):
        required = two_factor.two_factor_required(user)
        forget_scope(user)  # the test may change the user's memberships afterwards
        if required:
            two_factor_verify_session(client, user)

    def force_login_verified(self, user, backend=None):
        force_login(self, user, backend)
        verify_if_required(self, user)

    def login_verified(self, **credentials):
        logged_in = login(self, **credentials)
        if logged_in:
            verify_if_required(self, get_user_model().objects.get(pk=self.session["_auth_user_id"]))
        return logged_in

    monkeypatch.setattr(Client, "force_login", force_login_verified)
    monkeypatch.setattr(Client, "login", login_verified)
    if "browser_session" in request.fixturenames:
        from tests.browser import conftest as browser

        password_login = browser.Session.login

        def login_with_second_factor(self, username: str):
            user = get_user_model().objects.get(username=username)
            if two_factor.two_factor_required(user) and not two_factor.has_authenticator(user):
                from django_otp.plugins.otp_totp.models import TOTPDevice

                TOTPDevice.objects.create(user=user, name="tests", confirmed=True)
            password_login(self, username)
            if "/accounts/two-factor/verify/" in self.page.url:
                code = two_factor.recovery_codes_generate(user=user)[0]
                self.page.get_by_label("Code").fill(code)
                self.page.get_by_role("button", name="Verify").click()
                self.page.wait_for_load_state()

        monkeypatch.setattr(browser.Session, "login", login_with_second_factor)


@pytest.fixture(autouse=True)
def tasks_in_process(monkeypatch):
    """Tasks queued by a test run in-process, so no test leaves messages on the real broker.

    Tests that want the real worker use ``celery_worker_queue``, which turns this off.
    """
    from jpoa.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    # ...in the test's own thread (its transaction), not in a background one.
    monkeypatch.setattr(settings, "EXPORT_JOBS_IN_THREAD", False)


@pytest.fixture
def celery_worker_queue(transactional_db, monkeypatch):
    """A real `celery -A jpoa worker` on the configured broker, consuming a private queue.

    Yields the queue name; tasks sent there (and every task queued during the test) run in the
    worker process against the test database.
    """
    from celery._state import _set_task_join_will_block

    from jpoa.celery import app

    broker = require_broker()
    # Celery marks "inside a task" in one process-wide flag while it runs a task eagerly;
    # eager tasks run from several threads at once (the concurrency tests) can leave it set,
    # and result.get() would then refuse here. This process is no worker: clear it.
    _set_task_join_will_block(False)
    queue = f"test-{uuid.uuid4().hex[:12]}"
    # Everything this test queues, whoever queues it, goes to this worker.
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(app.conf, "task_default_queue", queue)
    env = dict(os.environ, DATABASE_URL=database_url_for_subprocess(), CELERY_BROKER_URL=broker,
               DEBUG="1", MEDIA_ROOT=settings.MEDIA_ROOT)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "jpoa", "worker", "--pool=solo", "--concurrency=1",
         "-Q", queue, "--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "warning"],
        cwd=BASE_DIR, env=env,
    )
    try:
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def pytest_sessionfinish(session):
    """Under pytest-xdist each worker hands its case counts to the controller; the controller,
    once the workers are done, drops the templates they were cloned from."""
    from tests.counters import CASES

    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["cases"] = dict(CASES)
    elif session.config.pluginmanager.has_plugin("dsession") and not session.config.getvalue(
            "reuse_db"):
        from tests import databases

        databases.drop_templates_of()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist hook on the controller: add up a finished worker's case counts."""
    from tests.counters import CASES

    CASES.update(getattr(node, "workeroutput", {}).get("cases", {}))


def pytest_terminal_summary(terminalreporter):
    from tests.counters import CASES

    for name, count in sorted(CASES.items()):
        terminalreporter.write_line(f"{name}: {count} cases tried")
