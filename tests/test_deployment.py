"""Deployment files: docker-compose.yml follows the Compose specification and .env.example
documents every variable it uses. No database and no Docker engine needed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def validate_compose(path: Path) -> subprocess.CompletedProcess[str]:
    if not CHECK_JSONSCHEMA.exists():
        pytest.fail(f"{CHECK_JSONSCHEMA} not found: install requirements-dev.txt into this venv")
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_compose_file_matches_compose_spec():
    result = validate_compose(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_invalid_compose_file_is_rejected(tmp_path):
    bad = tmp_path / "docker-compose.yml"
    bad.write_text("services:\n  web:\n    image: nginx\n    ports: 8000\n")
    result = validate_compose(bad)
    assert result.returncode != 0, "a service whose ports is a number must fail validation"
    assert "ports" in result.stdout + result.stderr


def compose_variables() -> set[str]:
    """Names interpolated as ${VAR...}/$VAR and keys set under any service's environment."""
    text = COMPOSE.read_text()
    # $$ escapes a literal dollar (expanded inside the container, not by compose): drop those.
    unescaped = text.replace("$$", "")
    names = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", unescaped))
    names |= set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", unescaped))

    data = YAML(typ="safe").load(text)
    for service in data["services"].values():
        environment = service.get("environment") or {}
        if isinstance(environment, dict):
            names |= set(environment)
        else:  # list form: ["VAR=value", "VAR"]
            names |= {item.split("=", 1)[0] for item in environment}
    return names


def documented_variables() -> set[str]:
    """Keys in .env.example, set (VAR=...) or documented but commented out (# VAR=...)."""
    pattern = re.compile(r"^\s*#?\s*([A-Za-z_][A-Za-z0-9_]*)=", re.MULTILINE)
    return set(pattern.findall(ENV_EXAMPLE.read_text()))


def test_compose_reads_at_least_the_database_and_broker_settings():
    # Guards the parser below against silently finding nothing.
    assert {"DATABASE_URL", "CELERY_BROKER_URL", "POSTGRES_PASSWORD"} <= compose_variables()


def test_env_example_documents_every_compose_variable():
    missing = sorted(compose_variables() - documented_variables())
    assert not missing, f".env.example does not mention: {', '.join(missing)}"


def test_compose_services_have_health_checks_and_env_file():
    data = YAML(typ="safe").load(COMPOSE.read_text())
    services = data["services"]
    assert set(services) >= {"web", "worker", "beat", "db", "redis"}
    for name, service in services.items():
        assert "healthcheck" in service, f"service {name} has no healthcheck"
        for dependency, condition in (service.get("depends_on") or {}).items():
            assert condition == {"condition": "service_healthy"}, (name, dependency)
    for name in ("web", "worker", "beat"):
        assert services[name]["env_file"] == ".env", name
