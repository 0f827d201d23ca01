"""The results as a table (terminal and docs/benchmarks.md) with the machine they came from."""
from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .suite import Results

START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"


def machine() -> dict:
    """Cores, memory, CPU, and the versions that matter, read now."""
    import django
    import psutil
    import psycopg2
    import rest_framework
    from django.conf import settings
    from django.db import connection

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version'),"
                       " current_setting('shared_buffers'), current_setting('work_mem')")
        server_version, shared_buffers, work_mem = cursor.fetchone()
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 1024**3, 1),
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "djangorestframework": rest_framework.VERSION,
        "psycopg2": psycopg2.__version__.split()[0],
        "postgresql": server_version,
        "postgresql_settings": f"shared_buffers {shared_buffers}, work_mem {work_mem}",
        "database_host": connection.settings_dict.get("HOST") or "local socket",
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
    }


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(results: Results) -> str:
    """The markdown table: one line per check, the figure's numbers on its first line."""
    lines = ["| figure | measured | beside (limit or peer) | ratio | goal | met |",
             "|---|---|---|---|---|---|"]
    for figure in results.figures:
        if not figure.available:
            lines.append(f"| {_cell(figure.label)} | {_cell(figure.note)} | | | | — |")
            continue
        for index, check in enumerate(figure.checks):
            first = index == 0
            lines.append("| " + " | ".join(_cell(value) for value in (
                figure.label if first else "", figure.measured if first else "",
                figure.beside if first else "", f"{check.label}: **{check.shown()}**",
                check.goal, "yes" if check.met else "**no**")) + " |")
        if figure.note:
            lines.append(f"| | note: {_cell(figure.note)} | | | | |")
    return "\n".join(lines)


def summary(results: Results) -> str:
    checks = [c for f in results.figures if f.available for c in f.checks]
    met = sum(c.met for c in checks)
    unavailable = [f.label for f in results.figures if not f.available]
    text = f"{met} of {len(checks)} goals met"
    if unavailable:
        text += f"; not measured: {', '.join(unavailable)}"
    differences = "none" if not results.differences else f"{len(results.differences)}"
    return f"{text}. Roll-up totals against the raw aggregate: {differences} differences."


def block(results: Results) -> str:
    m, c, d = results.machine, results.config, results.data
    return "\n".join([
        START,
        f"Measured {results.started_at} with `{results.command or 'python -m bench.run'}`: "
        f"{d.total_records:,} outcome records ({', '.join(f'{n:,} {k}' for k, n in d.records.items())}) "
        f"in {len(d.joint_operation_ids)} joint operations of {len(d.country_ids)} countries, "
        f"seed {c.seed}; the whole run took {results.seconds / 60:.1f} minutes "
        f"(generation {d.seconds:.0f} s{', reused' if d.reused else ''}).",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB, {m['os']}; "
        f"Python {m['python']}, Django {m['django']}, Django REST framework "
        f"{m['djangorestframework']}, psycopg2 {m['psycopg2']}, PostgreSQL {m['postgresql']} "
        f"({m['postgresql_settings']}, defaults) on {m['database_host']}; cache: {m['cache']}.",
        "",
        table(results),
        "",
        summary(results),
        *(["", "Page weight (compressed bytes on the wire, headers included) and time to a usable "
           "form, in Chromium against `manage.py runserver` as `make run` starts it "
           "(bench/pages.py):", "", results.pages_table] if results.pages_table else []),
        END,
    ])


def write_docs(results: Results, path: Path) -> None:
    """Replace the results block of ``path`` (between the markers), keeping the prose."""
    text = path.read_text()
    if START not in text or END not in text:
        raise SystemExit(f"{path} has no {START} ... {END} block to replace")
    before, rest = text.split(START, 1)
    _old, after = rest.split(END, 1)
    path.write_text(before + block(results) + after)
