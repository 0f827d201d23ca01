"""One benchmark run on the current database: generate, then every figure, in a fixed order.

``make bench``, ``make bench-quick`` (through ``bench.run``) and ``tests/bench`` all call
``run``; only the scale differs.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from . import figures, report
from .generate import BenchConfig, BenchData, generate

# The order of the table.
ORDER = ("dashboard", "rollup", "edit_rollup", "create", "api", "export", "guardian")


@dataclass
class Results:
    config: BenchConfig
    scale: figures.Scale
    data: BenchData
    figures: list[figures.Figure]
    differences: list[str]  # reporting.rollups.differences() after the edit: [] when right
    machine: dict
    started_at: str
    seconds: float
    command: str = ""
    steps: dict[str, float] = field(default_factory=dict)
    pages_table: str = ""  # bench.pages: page weight and time to a usable form (markdown)
    pages: dict = field(default_factory=dict)

    @property
    def by_key(self) -> dict[str, figures.Figure]:
        return {figure.key: figure for figure in self.figures}

    def as_json(self) -> dict:
        return {
            "config": asdict(self.config), "scale": asdict(self.scale),
            "data": asdict(self.data), "machine": self.machine, "started_at": self.started_at,
            "seconds": self.seconds, "command": self.command, "steps": self.steps,
            "differences": self.differences, "pages": self.pages,
            "figures": [asdict(figure) | {"met": figure.met} for figure in self.figures],
        }


def run(config: BenchConfig, scale: figures.Scale, *, reuse: bool = False, command: str = "",
        log: Callable[[str], None] = lambda message: None) -> Results:
    started_at = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    steps: dict[str, float] = {}

    def step(name: str, action: Callable[[], object]):
        log(f"{name}...")
        began = time.perf_counter()
        value = action()
        steps[name] = time.perf_counter() - began
        log(f"{name}: {steps[name]:.1f} s")
        return value

    data = step(f"generating {config.records:,} records", lambda: generate(
        config, reuse=reuse, log=log))
    found: dict[str, figures.Figure] = {}
    # Memory is measured first, before other figures raise the process's high-water marks.
    found["export"] = step("CSV export beside COPY", lambda: figures.export_figure(data, scale))
    found["rollup"], full = step("full roll-up beside hand-written SQL",
                                 lambda: figures.rollup_figure(data, scale))
    found["edit_rollup"], differences = step(
        "roll-up after one edit", lambda: figures.edit_rollup_figure(data, scale, full))
    found["dashboard"] = step("dashboard beside the floor and on the fly",
                              lambda: figures.dashboard_figure(data, scale))
    found["create"] = step("record create with the checks beside without",
                           lambda: figures.create_figure(data, scale))
    found["api"] = step("officer's list API beside the superuser's",
                        lambda: figures.api_figure(data, scale))
    found["guardian"] = figures.guardian_figure(data)
    return Results(
        config=config, scale=scale, data=data, figures=[found[key] for key in ORDER],
        differences=differences, machine=report.machine(), started_at=started_at.isoformat(
            timespec="seconds"), seconds=time.perf_counter() - started, command=command,
        steps=steps,
    )
