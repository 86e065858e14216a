"""Running the canned queries (queries/*.rq) on the embedded engine and on a store, and comparing the answers.

Each query runs embedded through ``query.run`` and in a store as ``query.standalone_text`` (its default
parameters bound inline), so both engines get the same text. Answers are compared by value
(recsys_kg.stores.compare). A column whose header says it is ``separated by '<sep>' (a set…`` is a
GROUP_CONCAT whose order SPARQL leaves to the engine: its items are compared as a sorted list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pyoxigraph as ox
import pytest

from recsys_kg.query.canned import QuerySpec, catalogue, run, standalone_text
from recsys_kg.query.header import parse_header
from recsys_kg.rdf.dataset import open_store
from recsys_kg.rdf.graphs import METADATA as METADATA_GRAPH
from recsys_kg.stores.compare import differences

SET_COLUMN = re.compile(r"separated by '([^']+)' \(a set")
Answer = tuple[tuple[str, ...], list[tuple]]

# Does the store hold, per graph, the triples the metadata graph says the graph has? (docs/stores.md §3)
LOAD_CHECK = f"""PREFIX void: <http://rdfs.org/ns/void#>
SELECT ?graph ?declared (COUNT(*) AS ?held) WHERE {{
  GRAPH <{METADATA_GRAPH.value}> {{ ?dataset void:subset ?graph . ?graph void:triples ?declared }}
  GRAPH ?graph {{ ?s ?p ?o }}
}} GROUP BY ?graph ?declared"""


def query_specs() -> list:
    """Every canned query as a pytest param named after it."""
    return [pytest.param(spec, id=name) for name, spec in sorted(catalogue().items())]


def embedded_answers(dataset: Path) -> dict[str, list[tuple]]:
    store = open_store(dataset)
    return {name: run(store, spec).rows for name, spec in catalogue().items()}


def set_columns(spec: QuerySpec) -> dict[int, str]:
    header = parse_header(spec.text, spec.path)
    return {index: match.group(1) for index, (_, doc) in enumerate(header.columns) if (match := SET_COLUMN.search(doc))}


def normalized(spec: QuerySpec, rows: Sequence[tuple]) -> list[tuple]:
    columns = set_columns(spec)
    if not columns:
        return list(rows)

    def cell(index: int, term):
        if index in columns and isinstance(term, ox.Literal):
            items = sorted(item for item in term.value.split(columns[index]) if item)
            return ox.Literal(columns[index].join(items))
        return term

    return [tuple(cell(i, term) for i, term in enumerate(row)) for row in rows]


def compare(spec: QuerySpec, embedded_rows: Sequence[tuple], store: str, run_in_store: Callable[[str], Answer]) -> None:
    """Run the query (default parameters) in the store; fail with the differing rows when the store answers
    differently, by value, from the embedded engine."""
    columns, rows = run_in_store(standalone_text(spec))
    assert tuple(columns) == spec.columns, f"{store} returned columns {columns} for {spec.name}"
    problems = differences(normalized(spec, embedded_rows), normalized(spec, rows))
    assert not problems, f"{spec.name}: {store} answers differently from the embedded engine:\n  " + "\n  ".join(
        problems
    )


def check_load(store: str, answer: Answer, dataset: Path) -> None:
    """The LOAD_CHECK answer: every graph of the dataset present, holding what the metadata declares."""
    columns, rows = answer
    assert columns == ("graph", "declared", "held")
    described = {q.graph_name.value for q in ox.parse(path=str(dataset), format=ox.RdfFormat.N_QUADS)} - {
        METADATA_GRAPH.value
    }
    assert {row[0].value for row in rows} == described, f"{store} lacks some of the dataset's graphs"
    wrong = [f"{g.value}: declared {d.value}, holds {h.value}" for g, d, h in rows if int(d.value) != int(h.value)]
    assert not wrong, f"{store} does not hold what the metadata declares: {wrong}"
