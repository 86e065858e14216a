"""Outcomes of the W3C SHACL Core tests per engine, collected while the tests run and tabled at the end."""

from __future__ import annotations

from collections import defaultdict

OUTCOMES: dict[str, dict[str, str]] = defaultdict(dict)  # engine -> test id -> pass / fail / refused / error
KINDS = ("pass", "fail", "refused", "error")


def table(outcomes: dict[str, dict[str, str]]) -> str:
    """One row per folder, ``pass / fail / refused`` per engine (``error``: the engine raised), then the total
    and the tests that did not pass."""
    engines = sorted(outcomes)
    folders = sorted({test.split("/")[0] for found in outcomes.values() for test in found})
    header = f"{'folder':<20}" + "".join(f"{engine + ' pass/fail/refused/error':>40}" for engine in engines)
    lines = [header]
    for folder in [*folders, "total"]:
        cells = []
        for engine in engines:
            found = [o for t, o in outcomes[engine].items() if folder == "total" or t.split("/")[0] == folder]
            cells.append(f"{' / '.join(str(found.count(kind)) for kind in KINDS):>40}")
        lines.append(f"{folder:<20}" + "".join(cells))
    for engine in engines:
        for test, outcome in sorted(outcomes[engine].items()):
            if outcome != "pass":
                lines.append(f"  {engine}: {outcome} {test}")
    return "\n".join(lines)
