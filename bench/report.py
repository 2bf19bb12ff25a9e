"""Benchmark results: one Measurement per number, a table on stdout and bench/results.json.

results.json is a list of ``{"name", "value", "unit", "baseline", "ratio"}``. ``baseline``
is the value the measurement is compared with (for throughput: the trivial view's
requests/s on the same server), ``ratio`` is ``value / baseline``.
"""

import json
import operator
from dataclasses import dataclass
from pathlib import Path

RESULTS_PATH = Path(__file__).resolve().parent / "results.json"

_OPERATORS = {">=": operator.ge, "<=": operator.le}


@dataclass
class Target:
    """A goal for one measurement, on its ``ratio`` or on its ``value``."""

    op: str
    threshold: float
    on: str = "ratio"

    def describe(self, unit):
        if self.on == "ratio":
            return f"{self.op} {self.threshold:g}x"
        return f"{self.op} {self.threshold:g} {unit}"

    def met(self, measurement):
        observed = getattr(measurement, self.on)
        if observed is None:
            return False
        return _OPERATORS[self.op](observed, self.threshold)


@dataclass
class Measurement:
    name: str
    value: float | None
    unit: str
    baseline: float | None = None
    target: Target | None = None
    note: str = ""
    error: str = ""

    @property
    def ratio(self):
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    def as_json(self):
        ratio = self.ratio
        return {
            "name": self.name,
            "value": None if self.value is None else round(self.value, 3),
            "unit": self.unit,
            "baseline": None if self.baseline is None else round(self.baseline, 3),
            "ratio": None if ratio is None else round(ratio, 4),
        }


def _fmt(number, digits):
    return "-" if number is None else f"{number:.{digits}f}"


def print_table(measurements):
    rows = [("name", "value", "unit", "ratio", "target", "result")]
    for m in measurements:
        target = "" if m.target is None else m.target.describe(m.unit)
        if m.error:
            verdict = "ERROR"
        elif m.target is None:
            verdict = ""
        else:
            verdict = "PASS" if m.target.met(m) else "MISS"
        rows.append((m.name, _fmt(m.value, 2), m.unit, _fmt(m.ratio, 3), target, verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    align = ["<", ">", "<", ">", "<", "<"]
    for index, row in enumerate(rows):
        cells = [f"{cell:{a}{w}}" for cell, a, w in zip(row, align, widths, strict=True)]
        print("  ".join(cells).rstrip())
        if index == 0:
            print("  ".join("-" * w for w in widths))
    notes = [m for m in measurements if m.note or m.error]
    if notes:
        print()
        for m in notes:
            print(f"* {m.name}: {m.error or m.note}")


def write_results(measurements, path=RESULTS_PATH, merge=False):
    """Write results.json; with ``merge``, keep entries of other benchmarks already there."""
    entries = []
    if merge and path.exists():
        names = {m.name for m in measurements}
        entries = [e for e in json.loads(path.read_text()) if e.get("name") not in names]
    entries.extend(m.as_json() for m in measurements)
    path.write_text(json.dumps(entries, indent=2) + "\n")
    return path
