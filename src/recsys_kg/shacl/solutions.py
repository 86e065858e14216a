"""Validation results from the solutions of the compiled queries (compiler.py), as SHACL §3.6 and pySHACL report
them: which constraint components give a value (the failing value node; the focus node for node shapes; ?value
or the focus node for SPARQL constraints) and which do not (cardinalities, sh:hasValue, sh:uniqueLang, qualified
counts), the rule id (``rkgsh:ruleId`` of the SPARQL constraint or the shape) and the rendered message. Focus
nodes and values are reported as the data wrote them (written.py): a literal the store rewrote gives one result
per way the data writes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import product
from typing import Any

import pyoxigraph as ox

from recsys_kg.rdf.rdflib_terms import to_oxigraph, to_rdflib
from recsys_kg.shacl import datatypes
from recsys_kg.shacl.model import Shape, SparqlConstraint
from recsys_kg.shacl.report import Result, compact, render_message
from recsys_kg.shacl.written import WrittenLiterals

# The head of a SPARQL constraint or target: only variables are projected (they can be pre-bound and re-projected).
HEAD = re.compile(r"^\s*SELECT\s+(DISTINCT\s+)?((?:[?$]\w+\s*)+)WHERE\s*\{", re.IGNORECASE)
_TRUE = ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))


@dataclass
class Query:
    """One compiled query and how its solutions become results (``kind``: values, counts, values-only, rows,
    closed, sparql; see :func:`results`)."""

    text: str
    shape: Shape
    components: list[str]  # one per boolean column (values) or the single component of the query
    kind: str
    sparql: SparqlConstraint | None = None
    bounds: dict[str, int] = field(default_factory=dict)  # sh:minCount / sh:maxCount of a "counts" query
    datatypes: dict[int, str] | None = None  # column -> the sh:datatype it checks (a "values" query)


def results(query: Query, solutions: Iterable, written: WrittenLiterals | None = None) -> Iterator[Result]:
    """values: one row per failing value, a boolean column per constraint; counts: focus nodes whose count
    breaks a bound; values-only / rows: one result per row with / without a value; closed: the statement's
    predicate is the path; sparql: see :func:`_sparql_results`."""
    shape, written = query.shape, written or WrittenLiterals()
    path = shape.path.shown if shape.path else ""
    if query.kind == "sparql":
        yield from _sparql_results(shape, query, solutions, written)
        return
    for solution in solutions:
        focus = solution["this"]
        if query.kind == "values":
            for i, component in enumerate(query.components):
                if solution[f"c{i}"] != _TRUE:
                    datatype = (query.datatypes or {}).get(i)
                    for result in _results(written, shape, component, focus, path, solution["value"]):
                        # a value written several ways fails sh:datatype only in the ways that are wrong
                        if (
                            datatype is None
                            or result.value is None
                            or not datatypes.holds(to_oxigraph(result.value), datatype)
                        ):
                            yield result
        elif query.kind == "counts":
            n = int(solution["n"].value)
            for component, bound in sorted(query.bounds.items()):
                if (n < bound) if component == "MinCount" else (n > bound):
                    yield from _results(written, shape, component, focus, path, None)
        elif query.kind == "values-only":
            yield from _results(written, shape, query.components[0], focus, path, solution["value"])
        elif query.kind == "rows":
            yield from _results(written, shape, query.components[0], focus, path, None)
        else:  # closed
            yield from _results(
                written, shape, "Closed", focus, compact(to_rdflib(solution["path"])), solution["value"]
            )


def _results(
    written: WrittenLiterals,
    shape: Shape,
    component: str,
    focus,
    path: str,
    value,
    template: str | None = None,
    bindings: dict[str, str] | None = None,
    rule: str | None = None,
) -> Iterator[Result]:
    """The result for each way the data writes the focus node and the value."""
    values = written.as_written(value) if value is not None else [None]
    for focus_written, value_written in product(written.as_written(focus), values):
        yield _result(shape, component, focus_written, path, value_written, template, bindings, rule)


def _result(
    shape: Shape,
    component: str,
    focus,
    path: str,
    value,
    template: str | None,
    bindings: dict[str, str] | None,
    rule: str | None,
) -> Result:
    focus_term: Any = to_rdflib(focus, normalize=False)
    value_term: Any = to_rdflib(value, normalize=False) if value is not None else None
    message = render_message(template or shape.message or "", focus_term, path, value_term, bindings or {})
    return Result(
        severity=shape.severity,
        rule=rule or shape.rule or "UNNAMED",
        focus=focus_term,
        path=path,
        value=value_term,
        message=message,
        component=f"{component}ConstraintComponent",
        shape=shape.shown,
        shape_node=shape.node,
    )


def _sparql_results(shape: Shape, query: Query, solutions: Iterable, written: WrittenLiterals) -> Iterator[Result]:
    """One result per solution of the constraint's own projection (SHACL §5.3.2): the value is ?value if the
    solution binds it, else the focus node (node shapes); the other variables fill the message."""
    constraint = query.sparql
    assert constraint is not None
    head = HEAD.match(constraint.select)
    assert head is not None  # the compiler refuses any other head (Compiler.prebound)
    variables = [v.lstrip("?$") for v in head.group(2).split()]
    seen = set()
    for solution in solutions:
        row = tuple(solution[v] if _bound(solution, v) else None for v in variables)
        if head.group(1):  # SELECT DISTINCT: one result per distinct projected row
            if row in seen:
                continue
            seen.add(row)
        bound = dict(zip(variables, row, strict=True))
        focus = bound["this"]
        value = bound.get("value") or (focus if shape.path is None else None)
        bindings = {
            name: compact(to_rdflib(found)) if isinstance(found, ox.NamedNode) else found.value
            for name, found in bound.items()
            if name not in ("this", "value") and found is not None
        }
        path = shape.path.shown if shape.path else ""
        yield from _results(
            written, shape, "SPARQL", focus, path, value, constraint.message or shape.message, bindings, constraint.rule
        )


def _bound(solution, variable: str) -> bool:
    try:
        return solution[variable] is not None
    except KeyError:
        return False
