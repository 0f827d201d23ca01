"""Imports point one way (docs/architecture.md): core <- countries <- operations <- cooperation
and reporting <- api. Every import of every module of an app is read, those inside functions
too; one that points up or sideways fails with the module and the line."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import BASE_DIR

MAY_IMPORT = {
    "core": set(),
    "countries": {"core"},
    "operations": {"core", "countries"},
    "cooperation": {"core", "countries", "operations"},
    "reporting": {"core", "countries", "operations"},
    "api": {"core", "countries", "operations", "cooperation", "reporting"},
}
PORTAL = set(MAY_IMPORT) | {"jpoa"}


def _imports(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_imports_point_one_way(app):
    wrong = []
    for path in sorted((BASE_DIR / app).rglob("*.py")):
        for line, top in _imports(path):
            if top in PORTAL and top != app and top not in MAY_IMPORT[app]:
                wrong.append(f"{path.relative_to(BASE_DIR)}:{line} imports {top}")
    assert not wrong, "\n".join(wrong)


def test_the_project_package_keeps_only_the_roof():
    """jpoa/ keeps settings, urls, celery, wsgi and middleware (issue 19)."""
    modules = {path.name for path in (BASE_DIR / "jpoa").glob("*.py")}
    assert modules == {"__init__.py", "settings.py", "urls.py", "celery.py", "wsgi.py",
                       "middleware.py"}
