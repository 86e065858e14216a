"""SHACL validation as SPARQL on an Oxigraph store: each shape becomes a few queries that return only violations.

Why: pySHACL walks the data graph node by node in Python (6 s on the seed graph, 600 s at 100x); the same
constraints as set-at-a-time SPARQL on Oxigraph take a fraction of a second and grow linearly. It implements SHACL
Core (the W3C SHACL Core suite passes: tests/shacl/test_w3c_core.py) and SELECT-based SPARQL constraints and
targets; anything else is refused naming the shape and the parameter (UnsupportedShape), never skipped.

Each constraint component has one entry in :data:`COMPONENTS` that says how it compiles, so adding a constraint
touches one place:

- ``test``: for a constraint about one value node at a time (sh:class, sh:datatype, sh:or …), a SPARQL
  expression true when the node conforms. Per shape, one query has a boolean column per such constraint and
  returns rows only for values that fail one; the same expression checks nested shapes.
- ``report`` and ``holds``: for the others (cardinalities, pairs, sh:closed …), the queries that find a shape's
  results from its focus nodes, and the expression true when a focus node conforms (for nested shapes).

Nested shapes are checked at any depth: sh:property of a property shape validates its value nodes as focus nodes
(results reported as the nested shape's own), and sh:node/sh:not/sh:and/sh:or/sh:xone/sh:qualifiedValueShape
become one expression over the value node (:meth:`Compiler.conforms`). Results follow SHACL §3.6 as pySHACL
reports them (which result has a value, which value), so the engines' reports are equal
(tests/test_validate_engines.py); terms are reported as the data wrote them (written.py).

Focus nodes are a shape's targets; with ``focus`` given (contributions) they are also restricted to those nodes.
The store is queried as the union of its graphs, which repeats a triple several graphs hold: every query
counts or selects distinct solutions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import combinations, count

import pyoxigraph as ox
from rdflib import Literal, URIRef

from recsys_kg.shacl import datatypes
from recsys_kg.shacl.model import TRUE, Constraint, Shape, ShapesModel, UnsupportedShape
from recsys_kg.shacl.report import Result
from recsys_kg.shacl.solutions import HEAD, Query, results
from recsys_kg.shacl.written import WrittenLiterals

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_RDF_TYPE_NODE = ox.NamedNode(RDF_TYPE[1:-1])
SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
_NODE_KINDS = {
    "IRI": "isIRI({v})",
    "BlankNode": "isBlank({v})",
    "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))",
    "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}
_NOT_PREBINDABLE = re.compile(r"\b(MINUS|VALUES|SERVICE)\b|\{\s*SELECT\b", re.IGNORECASE)
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
# Cardinalities in nested shapes are compared by naming that many distinct values; beyond this it is refused.
_MAX_NESTED_COUNT = 8


def term(node) -> str:
    """SPARQL text of an rdflib term from the shapes graph (IRIs and literals only: shapes name no blank nodes)."""
    if isinstance(node, URIRef):
        return str(ox.NamedNode(str(node)))
    if isinstance(node, Literal):
        if node.language:
            return str(ox.Literal(str(node), language=node.language))
        if node.datatype is not None:
            return str(ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype))))
        return str(ox.Literal(str(node)))
    raise UnsupportedShape(f"{node}: a blank node as a constraint parameter")


@dataclass(frozen=True)
class Focus:
    """The focus nodes of a shape: a pattern binding ?this, and ``keys``, the variables that tell apart the ways a
    nested shape's focus node is reached (one per enclosing property shape): SHACL reports a nested result once
    per focus node of the parent (W3C property/property-001), so queries keep them in their DISTINCT and GROUP BY.
    Formats as its pattern."""

    pattern: str
    keys: str = ""

    def __str__(self) -> str:
        return self.pattern


# --- the registry: one entry per constraint component ------------------------------------------------------------

Test = Callable[["Compiler", Constraint, str], str]
Report = Callable[["Compiler", Shape, Constraint, Focus], Iterator[Query]]
Holds = Callable[["Compiler", Shape, Constraint, str], str]


@dataclass(frozen=True)
class Component:
    """How one constraint component compiles: a per-value ``test``, or ``report`` (top-level results) and
    ``holds`` (nested conformance). ``name`` is the component's local name in results."""

    name: str
    test: Test | None = None
    report: Report | None = None
    holds: Holds | None = None
    node_level: bool = True  # allowed in a node shape (sh:minCount and the like are property-shape only)


def _class(c: Compiler, k: Constraint, v: str) -> str:
    return f"EXISTS {{ {c.instance_of(v, k.value)} }}"


def _datatype(c: Compiler, k: Constraint, v: str) -> str:
    """In the store's terms, except the literals it rewrote: those are decided on their original (written.py)."""
    datatype = str(k.value)
    check = f"(isLiteral({v}) && DATATYPE({v}) = <{datatype}> && {datatypes.sparql_check(v, datatype)})"
    if not c.written:
        return check
    good = [
        canonical
        for canonical, written in c.written.originals.items()
        if all(datatypes.holds(w, datatype) for w in written)
    ]
    rewritten = f"({' || '.join(f'sameTerm({v}, {t})' for t in c.written.originals)})"
    kept = f"(!{rewritten} && {check})"
    return f"({' || '.join(f'sameTerm({v}, {t})' for t in good)} || {kept})" if good else kept


def _node_kind(c: Compiler, k: Constraint, v: str) -> str:
    return _NODE_KINDS[str(k.value).rsplit("#", 1)[-1]].format(v=v)


def _pattern(c: Compiler, k: Constraint, v: str) -> str:
    flags = f", {term(Literal(k.extra['flags']))}" if k.extra.get("flags") else ""
    return f"(!isBlank({v}) && REGEX(STR({v}), {term(Literal(k.value))}{flags}))"


def _in(c: Compiler, k: Constraint, v: str) -> str:
    return "(" + " || ".join(f"sameTerm({v}, {term(item)})" for item in k.value) + ")" if k.value else "false"


def _compare(operator: str) -> Test:
    return lambda c, k, v: f"({v} {operator} {term(k.value)})"


def _length(operator: str) -> Test:
    return lambda c, k, v: f"(!isBlank({v}) && STRLEN(STR({v})) {operator} {int(k.value)})"


def _language_in(c: Compiler, k: Constraint, v: str) -> str:
    ranges = " || ".join(f"langMatches(LANG({v}), {term(Literal(str(r)))})" for r in k.value)
    return f'(LANG({v}) != "" && ({ranges or "false"}))'


def _node(c: Compiler, k: Constraint, v: str) -> str:
    return c.conforms(k.value, v)


def _not(c: Compiler, k: Constraint, v: str) -> str:
    return f"!{c.conforms(k.value, v)}"


def _and(c: Compiler, k: Constraint, v: str) -> str:
    return "(" + " && ".join(c.conforms(s, v) for s in k.value) + ")" if k.value else "true"


def _or(c: Compiler, k: Constraint, v: str) -> str:
    return "(" + " || ".join(c.conforms(s, v) for s in k.value) + ")" if k.value else "false"


def _xone(c: Compiler, k: Constraint, v: str) -> str:
    return "((" + " + ".join(f"IF({c.conforms(s, v)}, 1, 0)" for s in k.value) + ") = 1)" if k.value else "false"


def _counts_report(c: Compiler, shape: Shape, k: Constraint, focus: Focus) -> Iterator[Query]:
    """sh:minCount and sh:maxCount of a shape in one query (one count per focus node), made once per shape."""
    counts = {x.parameter: int(x.value) for x in shape.constraints if x.parameter in ("minCount", "maxCount")}
    if k.parameter != min(counts):  # with both, the query is made once (for sh:maxCount)
        return
    tests = ([f"?n < {counts['minCount']}"] if "minCount" in counts else []) + (
        [f"?n > {counts['maxCount']}"] if "maxCount" in counts else []
    )
    values = c.values(shape)
    matched = f"OPTIONAL {{ {values} }}" if "minCount" in counts else values
    text = (
        f"SELECT ?this ?n WHERE {{ {{ SELECT ?this {focus.keys} (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {focus} "
        f"{matched} }} GROUP BY ?this {focus.keys} }} FILTER({' || '.join(tests)}) }}"
    )
    yield Query(text, shape, [], "counts", bounds={COMPONENTS[name].name: n for name, n in counts.items()})


def _min_count_holds(c: Compiler, shape: Shape, k: Constraint, v: str) -> str:
    return c.at_least(shape, v, int(k.value))


def _max_count_holds(c: Compiler, shape: Shape, k: Constraint, v: str) -> str:
    return f"!{c.at_least(shape, v, int(k.value) + 1)}"


def _has_value_report(c: Compiler, shape: Shape, k: Constraint, focus: Focus) -> Iterator[Query]:
    """No value in the result: the focus node lacks the value (SHACL §4.8.3)."""
    if shape.path is None:
        text = f"SELECT ?this WHERE {{ {focus} FILTER(!sameTerm(?this, {term(k.value)})) }}"
    else:
        text = f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {shape.path.sparql} {term(k.value)} }} }}"
    yield Query(text, shape, ["HasValue"], "rows")


def _has_value_holds(c: Compiler, shape: Shape, k: Constraint, v: str) -> str:
    if shape.path is None:
        return f"sameTerm({v}, {term(k.value)})"
    return f"EXISTS {{ {v} {shape.path.sparql} {term(k.value)} }}"


def _equals_report(c: Compiler, shape: Shape, k: Constraint, focus: Focus) -> Iterator[Query]:
    """A value of the path the other property lacks, or the reverse; a node shape's one value is its focus node.
    The focus pattern is repeated in each branch: a UNION branch is evaluated on its own, so ?this must be bound
    inside it."""
    other = term(k.value)
    if shape.path is None:
        text = (
            f"SELECT DISTINCT {focus.keys} ?this ?value WHERE {{ {{ {focus} FILTER NOT EXISTS "
            f"{{ ?this {other} ?this }} BIND(?this AS ?value) }} UNION {{ {focus} ?this {other} ?value "
            f"FILTER(!sameTerm(?value, ?this)) }} }}"
        )
    else:
        path = shape.path.sparql
        text = (
            f"SELECT DISTINCT {focus.keys} ?this ?value WHERE {{ {{ {focus} ?this {path} ?value FILTER NOT EXISTS "
            f"{{ ?this {other} ?value }} }} UNION {{ {focus} ?this {other} ?value FILTER NOT EXISTS "
            f"{{ ?this {path} ?value }} }} }}"
        )
    yield Query(text, shape, ["Equals"], "values-only")


def _equals_holds(c: Compiler, shape: Shape, k: Constraint, v: str) -> str:
    other, x = term(k.value), c.fresh()
    if shape.path is None:
        return f"(EXISTS {{ {v} {other} {v} }} && NOT EXISTS {{ {v} {other} {x} FILTER(!sameTerm({x}, {v})) }})"
    path = shape.path.sparql
    return (
        f"(NOT EXISTS {{ {v} {path} {x} FILTER NOT EXISTS {{ {v} {other} {x} }} }} && "
        f"NOT EXISTS {{ {v} {other} {x} FILTER NOT EXISTS {{ {v} {path} {x} }} }})"
    )


def _disjoint_report(c: Compiler, shape: Shape, k: Constraint, focus: Focus) -> Iterator[Query]:
    other = term(k.value)
    if shape.path is None:
        text = (
            f"SELECT DISTINCT {focus.keys} ?this ?value WHERE {{ {focus} ?this {other} ?this BIND(?this AS ?value) }}"
        )
    else:
        text = (
            f"SELECT DISTINCT {focus.keys} ?this ?value WHERE {{ {focus} ?this {shape.path.sparql} ?value . "
            f"?this {other} ?value }}"
        )
    yield Query(text, shape, ["Disjoint"], "values-only")


def _disjoint_holds(c: Compiler, shape: Shape, k: Constraint, v: str) -> str:
    other, x = term(k.value), c.fresh()
    if shape.path is None:
        return f"NOT EXISTS {{ {v} {other} {v} }}"
    return f"NOT EXISTS {{ {v} {shape.path.sparql} {x} . {v} {other} {x} }}"


def _pair(operator: str, name: str) -> tuple[Report, Holds]:
    """sh:lessThan / sh:lessThanOrEquals: each value against each value of the other property, one result per
    failing pair (incomparable pairs fail)."""

    def report(c: Compiler, shape: Shape, k: Constraint, focus: Focus) -> Iterator[Query]:
        values = c.values(shape)
        text = (
            f"SELECT DISTINCT {focus.keys} ?this ?value ?_other WHERE {{ {focus} {values} "
            f"?this {term(k.value)} ?_other . "
            f"FILTER(!COALESCE(?value {operator} ?_other, false)) }}"
        )
        yield Query(text, shape, [name], "values-only")

    def holds(c: Compiler, shape: Shape, k: Constraint, v: str) -> str:
        x, other = c.fresh(), c.fresh()
        value = f"{v} {shape.path.sparql} {x} ." if shape.path else ""
        compared = x if shape.path else v
        return (
            f"NOT EXISTS {{ {value} {v} {term(k.value)} {other} "
            f"FILTER(!COALESCE({compared} {operator} {other}, false)) }}"
        )

    return report, holds


def _unique_lang_report(c: Compiler, shape: Shape, k: Constraint, focus: Focus) -> Iterator[Query]:
    """One result per focus node and language tag used twice (no value); only ``sh:uniqueLang true`` (the literal
    as written: ``"1"^^xsd:boolean`` does not switch it on) is a constraint."""
    if k.value != TRUE:
        return
    text = (
        f"SELECT DISTINCT {focus.keys} ?this (LANG(?value) AS ?lang) WHERE {{ {focus} {c.values(shape)} ?this "
        f'{c.path(shape)} ?_other . FILTER(!sameTerm(?value, ?_other) && LANG(?value) != "" && '
        f"LANG(?value) = LANG(?_other)) }}"
    )
    yield Query(text, shape, ["UniqueLang"], "rows")


def _unique_lang_holds(c: Compiler, shape: Shape, k: Constraint, v: str) -> str:
    if k.value != TRUE:
        return "true"
    a, b, path = c.fresh(), c.fresh(), c.path(shape)
    return (
        f'NOT EXISTS {{ {v} {path} {a} . {v} {path} {b} FILTER(!sameTerm({a}, {b}) && LANG({a}) != "" && '
        f"LANG({a}) = LANG({b})) }}"
    )


def _closed_report(c: Compiler, shape: Shape, k: Constraint, focus: Focus) -> Iterator[Query]:
    """sh:closed: the statements of focus nodes whose predicate is neither a property shape's nor ignored.
    Only the predicates the data uses outside that list are looked at, and a top-level shape's focus nodes are
    tested per statement (a few index lookups) instead of being listed first (most of the graph's nodes)."""
    if not k.value:
        return
    others = sorted(c.used_predicates() - c.allowed(shape, k))
    if not others:
        return
    listed = f"VALUES ?path {{ {' '.join(f'<{p}>' for p in others)} }} ?this ?path ?value ."
    targets = c.top_targets.get(focus.pattern)  # only a top-level shape's own focus nodes have one
    where = f"{listed} FILTER EXISTS {{ {targets} }}" if targets else f"{focus} {listed}"
    yield Query(f"SELECT DISTINCT {focus.keys} ?this ?path ?value WHERE {{ {where} }}", shape, ["Closed"], "closed")


def _closed_holds(c: Compiler, shape: Shape, k: Constraint, v: str) -> str:
    if not k.value:
        return "true"
    p, o = c.fresh(), c.fresh()
    allowed = " ".join(f"<{a}>" for a in sorted(c.allowed(shape, k)))
    unlisted = f"FILTER({p} NOT IN ({allowed}))" if allowed else ""
    return f"NOT EXISTS {{ {v} {p} {o} {unlisted} }}"


def _qualified_test(c: Compiler, k: Constraint, x: str) -> str:
    """The value conforms to the qualified value shape and, if they are disjoint, to none of its siblings."""
    tests = [c.conforms(k.value, x)] + [f"!{c.conforms(s, x)}" for s in k.extra["siblings"]]
    return "(" + " && ".join(tests) + ")"


def _qualified_report(c: Compiler, shape: Shape, k: Constraint, focus: Focus) -> Iterator[Query]:
    """Focus nodes with fewer than sh:qualifiedMinCount / more than sh:qualifiedMaxCount conforming values (one
    query and component each)."""
    if shape.path is None:
        counted = f"BIND(IF(COALESCE({_qualified_test(c, k, '?this')}, false), 1, 0) AS ?n)"
        inner = f"{focus} {counted}"
    else:
        inner = (
            f"{{ SELECT ?this {focus.keys} (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {focus} OPTIONAL {{ "
            f"{c.values(shape)} FILTER(COALESCE({_qualified_test(c, k, '?value')}, false)) }} }} "
            f"GROUP BY ?this {focus.keys} }}"
        )
    for bound, operator, name in (("min", "<", "QualifiedMinCount"), ("max", ">", "QualifiedMaxCount")):
        if bound in k.extra:
            text = f"SELECT ?this WHERE {{ {inner} FILTER(?n {operator} {k.extra[bound]}) }}"
            yield Query(text, shape, [name], "rows")


def _qualified_holds(c: Compiler, shape: Shape, k: Constraint, v: str) -> str:
    tests = []
    if "min" in k.extra:
        tests.append(c.at_least(shape, v, k.extra["min"], lambda x: _qualified_test(c, k, x)))
    if "max" in k.extra:
        tests.append("!" + c.at_least(shape, v, k.extra["max"] + 1, lambda x: _qualified_test(c, k, x)))
    return "(" + " && ".join(tests) + ")" if tests else "true"


_LESS_THAN, _LESS_THAN_OR_EQUALS = _pair("<", "LessThan"), _pair("<=", "LessThanOrEquals")

COMPONENTS: dict[str, Component] = {
    "class": Component("Class", test=_class),
    "datatype": Component("Datatype", test=_datatype),
    "nodeKind": Component("NodeKind", test=_node_kind),
    "pattern": Component("Pattern", test=_pattern),
    "in": Component("In", test=_in),
    "minInclusive": Component("MinInclusive", test=_compare(">=")),
    "minExclusive": Component("MinExclusive", test=_compare(">")),
    "maxInclusive": Component("MaxInclusive", test=_compare("<=")),
    "maxExclusive": Component("MaxExclusive", test=_compare("<")),
    "minLength": Component("MinLength", test=_length(">=")),
    "maxLength": Component("MaxLength", test=_length("<=")),
    "languageIn": Component("LanguageIn", test=_language_in),
    "node": Component("Node", test=_node),
    "not": Component("Not", test=_not),
    "and": Component("And", test=_and),
    "or": Component("Or", test=_or),
    "xone": Component("Xone", test=_xone),
    "minCount": Component("MinCount", report=_counts_report, holds=_min_count_holds, node_level=False),
    "maxCount": Component("MaxCount", report=_counts_report, holds=_max_count_holds, node_level=False),
    "hasValue": Component("HasValue", report=_has_value_report, holds=_has_value_holds),
    "equals": Component("Equals", report=_equals_report, holds=_equals_holds),
    "disjoint": Component("Disjoint", report=_disjoint_report, holds=_disjoint_holds),
    "lessThan": Component("LessThan", report=_LESS_THAN[0], holds=_LESS_THAN[1]),
    "lessThanOrEquals": Component("LessThanOrEquals", report=_LESS_THAN_OR_EQUALS[0], holds=_LESS_THAN_OR_EQUALS[1]),
    "uniqueLang": Component("UniqueLang", report=_unique_lang_report, holds=_unique_lang_holds, node_level=False),
    "closed": Component("Closed", report=_closed_report, holds=_closed_holds),
    "qualifiedValueShape": Component("QualifiedValueShape", report=_qualified_report, holds=_qualified_holds),
}


def component(shape: Shape, k: Constraint) -> Component:
    """The registry entry of a constraint, or UnsupportedShape naming the shape and the parameter."""
    found = COMPONENTS.get(k.parameter)
    if found is None:
        raise UnsupportedShape(
            f"{shape.shown}: the SPARQL validator does not implement sh:{k.parameter}; "
            "use `--engine pyshacl` or add it to COMPONENTS in src/recsys_kg/shacl/compiler.py"
        )
    if shape.path is None and not found.node_level:
        raise UnsupportedShape(
            f"{shape.shown}: sh:{k.parameter} in a node shape (SHACL allows it in property shapes only)"
        )
    return found


def check(model: ShapesModel) -> None:
    """Raise UnsupportedShape if any active shape, at any depth, uses a feature the compiler refuses."""
    seen: set[int] = set()

    def visit(shape: Shape) -> None:
        if id(shape) in seen or shape.deactivated:
            return
        seen.add(id(shape))
        for k in shape.constraints:
            component(shape, k)
            nested = k.value if isinstance(k.value, list) else [k.value]
            for item in [*nested, *k.extra.get("siblings", [])]:
                if isinstance(item, Shape):
                    visit(item)
        for sparql in shape.sparql:
            _prebindable(shape, sparql.select)
        for prop in shape.properties:
            visit(prop)

    for shape in model.shapes:
        for kind, value in shape.targets:
            if kind == "sparql":
                _prebindable(shape, value)
        visit(shape)


def _prebindable(shape: Shape, select: str) -> None:
    try:
        Compiler.prebound(select)
    except UnsupportedShape as exc:
        raise UnsupportedShape(f"{shape.shown}: {exc}") from None


# --- the compiler -----------------------------------------------------------------------------------------------


class Compiler:
    """Turns shapes into queries; ``focus`` restricts every shape's focus nodes (contributions); ``written``
    holds the literals the store rewrote, as the data wrote them."""

    def __init__(
        self,
        store: ox.Store,
        model: ShapesModel,
        focus: list[ox.NamedNode] | None = None,
        written: WrittenLiterals | None = None,
    ) -> None:
        self.store = store
        self.model = model
        self.focus = focus
        self.written = written or WrittenLiterals()
        self.top_targets: dict[str, str] = {}  # focus pattern of a top-level shape -> its targets (no focus given)
        self._names = count(1)
        self._subclasses: dict[str, list[str] | None] = {}
        self._class_sets: dict[object, frozenset[str] | None] = {}
        self._sparql_hits: dict[str, frozenset[ox.NamedNode]] = {}
        self._predicates: set[str] | None = None
        self._by_type: dict[str, set[ox.NamedNode]] | None = None  # see _focus_index
        self._by_predicate: dict[str, set[ox.NamedNode]] = {}
        self._nesting: list[int] = []  # the shapes being expanded by conforms(): a shape within itself is refused

    def subclasses(self, cls) -> list[str] | None:
        """The class and its sub-classes in the data (looked up once), or None when one is a blank node (which
        cannot be listed in VALUES)."""
        key = term(cls)
        if key not in self._subclasses:
            found = [row["c"] for row in select(self.store, f"SELECT DISTINCT ?c WHERE {{ ?c {SUBCLASS}* {key} }}")]
            self._subclasses[key] = (
                None if any(isinstance(c, ox.BlankNode) for c in found) else sorted({str(c) for c in found} | {key})
            )
        return self._subclasses[key]

    def instance_of(self, v: str, cls) -> str:
        """A pattern matching when the node in ``v`` is a SHACL instance of ``cls`` (typed with it or with one of
        its sub-classes in the data). With the sub-classes listed, the match is a plain index lookup, where
        ``rdf:type/rdfs:subClassOf*`` is a path evaluation for every node."""
        classes = self.subclasses(cls)
        if classes is None:
            return f"{v} {RDF_TYPE}/{SUBCLASS}* {term(cls)} ."
        if len(classes) == 1:
            return f"{v} {RDF_TYPE} {classes[0]} ."
        k = self.fresh()
        return f"{v} {RDF_TYPE} {k} . VALUES {k} {{ {' '.join(classes)} }}"

    def used_predicates(self) -> set[str]:
        if self._predicates is None:
            if self.focus is None:
                found = select(self.store, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }")
                self._predicates = {row["p"].value for row in found}
            else:
                self._predicates = set(self._focus_index()[1])
        return self._predicates

    @staticmethod
    def allowed(shape: Shape, k: Constraint) -> set[str]:
        """The predicates sh:closed allows: the property shapes' (single-predicate paths) and the ignored ones."""
        allowed = {str(p.path.predicate) for p in shape.properties if p.path and p.path.predicate is not None}
        return allowed | {str(p) for p in k.extra["ignored"]}

    def fresh(self) -> str:
        return f"?_v{next(self._names)}"

    def queries(self) -> Iterator[Query]:
        check(self.model)
        for shape in self.model.shapes:
            if shape.deactivated:
                continue
            focus = self.focus_pattern(shape)
            if focus is None:
                continue
            if self.focus is None:
                self.top_targets[focus] = self.targets(shape)
            yield from self.shape_queries(shape, Focus(focus), ())

    def focus_pattern(self, shape: Shape) -> str | None:
        """A pattern binding ?this to each focus node once (SHACL §2.1.3: targets are a set); None when the
        shape has none. Given focus candidates, each is tested against the targets by index lookups: a query
        would list a target's members first (every paper of the graph) and only then join the candidates."""
        if self.focus is None:
            return f"{{ SELECT DISTINCT ?this WHERE {{ {self.targets(shape)} }} }}"
        nodes = self.targeted(shape)
        return f"VALUES ?this {{ {' '.join(str(n) for n in nodes)} }}" if nodes else None

    def _class_set(self, cls) -> frozenset[str] | None:
        if cls not in self._class_sets:
            classes = self.subclasses(cls)
            self._class_sets[cls] = None if classes is None else frozenset(classes)
        return self._class_sets[cls]

    def _sparql_targeted(self, target: str) -> frozenset[ox.NamedNode]:
        """The focus candidates a SPARQL target selects: one query for all of them (not one per candidate)."""
        if target not in self._sparql_hits:
            values = f"VALUES ?this {{ {' '.join(str(n) for n in self.focus or [])} }}"
            solutions = select(self.store, self.model.prefixes + self.prebound(target, values))
            self._sparql_hits[target] = frozenset(row["this"] for row in solutions)
        return self._sparql_hits[target]

    def _focus_index(self) -> tuple[dict[str, set[ox.NamedNode]], dict[str, set[ox.NamedNode]]]:
        """(nodes by type as written in queries, nodes by predicate IRI) of the focus candidates, read once for all
        shapes: testing each shape against each candidate was 82 x 2,000 lookups for a contribution of 1,000
        papers, most of the 17 s it took."""
        if self._by_type is None:
            self._by_type, self._by_predicate = defaultdict(set), defaultdict(set)
            for node in self.focus or []:
                for q in self.store.quads_for_pattern(node, None, None):
                    self._by_predicate[q.predicate.value].add(node)
                    if q.predicate == _RDF_TYPE_NODE:
                        self._by_type[str(q.object)].add(node)
        return self._by_type, self._by_predicate

    def targeted(self, shape: Shape) -> list[ox.NamedNode]:
        """The focus candidates that are focus nodes of the shape, in the candidates' order."""
        by_type, by_predicate = self._focus_index()
        focus = self.focus or []
        chosen: set[ox.NamedNode] = set()
        for kind, value in shape.targets:
            if kind == "class":
                classes = self._class_set(value)
                if classes is None:
                    chosen.update(
                        n
                        for n in focus
                        if self.store.query(
                            f"ASK {{ {n} {RDF_TYPE}/{SUBCLASS}* {term(value)} }}", use_default_graph_as_union=True
                        )
                    )
                else:
                    for cls in classes:
                        chosen |= by_type.get(cls, set())
            elif kind == "node":
                chosen.update(n for n in focus if n.value == str(value))
            elif kind == "subjectsOf":
                chosen |= by_predicate.get(str(value), set())
            elif kind == "objectsOf":
                predicate = ox.NamedNode(str(value))
                chosen.update(
                    n for n in focus if next(self.store.quads_for_pattern(None, predicate, n), None) is not None
                )
            else:
                chosen |= self._sparql_targeted(str(value))
        return [n for n in focus if n in chosen]

    def targets(self, shape: Shape) -> str:
        """A pattern matching ?this to each focus node (once per target that has it)."""
        parts = []
        for kind, value in shape.targets:
            if kind == "class":
                parts.append(f"{{ {self.instance_of('?this', value)} }}")
            elif kind == "node":
                parts.append(f"{{ VALUES ?this {{ {term(value)} }} }}")
            elif kind == "subjectsOf":
                parts.append(f"{{ ?this {term(value)} {self.fresh()} }}")
            elif kind == "objectsOf":
                parts.append(f"{{ {self.fresh()} {term(value)} ?this }}")
            else:
                parts.append("{ " + self.prebound(value) + " }")
        return " UNION ".join(parts)

    @staticmethod
    def prebound(select: str, inserted: str = "") -> str:
        """A SPARQL SELECT from the shapes with ``inserted`` (the focus nodes) joined in first."""
        if _NOT_PREBINDABLE.search(select):
            raise UnsupportedShape(
                "SPARQL constraints and targets with MINUS, VALUES, SERVICE or a sub-select "
                "cannot be pre-bound (SHACL §5.3.1); use `--engine pyshacl`"
            )
        match = _WHERE.search(select)
        if match is None or not HEAD.match(select):
            raise UnsupportedShape(
                "SPARQL constraints and targets must be SELECT [DISTINCT] ?variables WHERE { … }: "
                + select.strip()[:80]
            )
        return select[: match.end()] + " " + inserted + " " + select[match.end() :]

    def shape_queries(self, shape: Shape, focus: Focus, chain: tuple[int, ...]) -> Iterator[Query]:
        """The queries of a shape for the focus nodes ``focus`` binds to ?this, then those of its property shapes:
        a node shape's have the same focus nodes, a property shape's have its value nodes (SHACL §4.8.2)."""
        if id(shape) in chain:
            raise UnsupportedShape(
                f"{shape.shown}: a shape that is its own property shape (recursive shapes are not defined by SHACL)"
            )
        chain = (*chain, id(shape))
        tests = [(k, test) for k in shape.constraints if (test := component(shape, k).test) is not None]
        tested = [k for k, _ in tests]
        if tests:
            columns = [f"(COALESCE({test(self, k, '?value')}, false) AS ?c{i})" for i, (k, test) in enumerate(tests)]
            failing = " || ".join(f"!?c{i}" for i in range(len(tested)))
            text = (
                f"SELECT ?this ?value {' '.join(f'?c{i}' for i in range(len(tested)))} WHERE {{ "
                f"{{ SELECT DISTINCT {focus.keys} ?this ?value {' '.join(columns)} WHERE {{ {focus} "
                f"{self.values(shape)} }} }} "
                f"FILTER({failing}) }}"
            )
            yield Query(
                text,
                shape,
                [COMPONENTS[k.parameter].name for k in tested],
                "values",
                datatypes={i: str(k.value) for i, k in enumerate(tested) if k.parameter == "datatype"},
            )
        for k in shape.constraints:
            report = COMPONENTS[k.parameter].report
            if report is not None:
                yield from report(self, shape, k, focus)
        for sparql in shape.sparql:
            yield Query(
                self.model.prefixes + self.every_solution(self.prebound(sparql.select, str(focus))),
                shape,
                ["SPARQL"],
                "sparql",
                sparql,
            )
        for prop in shape.properties:
            if prop.deactivated:
                continue
            if shape.path is None:
                yield from self.shape_queries(prop, focus, chain)
            else:
                parent = self.fresh()
                keys = f"{focus.keys} {parent}".strip()
                nested = (
                    f"{{ SELECT DISTINCT {keys} ?this WHERE {{ {{ SELECT {focus.keys} (?this AS {parent}) "
                    f"WHERE {{ {focus} }} }} {parent} {shape.path.sparql} ?this }} }}"
                )
                yield from self.shape_queries(prop, Focus(nested, keys), chain)

    @staticmethod
    def every_solution(select: str) -> str:
        """The query with ``SELECT DISTINCT *``: the store's union of graphs repeats a triple that several graphs
        hold, and the shapes mean one solution per distinct binding of every variable (a set of triples); the
        original projection is applied to the rows afterwards (solutions.py, ``_sparql_results``)."""
        return HEAD.sub("SELECT DISTINCT * WHERE {", select, count=1)

    @staticmethod
    def path(shape: Shape) -> str:
        """The SPARQL path of a property shape (the components that call it are property-shape only)."""
        if shape.path is None:
            raise UnsupportedShape(f"{shape.shown}: a constraint of property shapes in a node shape")
        return shape.path.sparql

    def values(self, shape: Shape) -> str:
        if shape.path is None:
            return "BIND(?this AS ?value)"
        return f"?this {shape.path.sparql} ?value ."

    def conforms(self, shape: Shape, v: str) -> str:
        """A SPARQL expression true when the node in ``v`` conforms to a shape used inside another (sh:node,
        sh:not, sh:and, sh:or, sh:xone, sh:qualifiedValueShape): its constraints and its property shapes at any
        depth. Targets of a nested shape are not used (SHACL §2.1.3)."""
        if shape.deactivated:
            return "true"
        if id(shape) in self._nesting:
            raise UnsupportedShape(
                f"{shape.shown}: a shape nested in itself (recursive shapes are not defined by SHACL)"
            )
        if shape.sparql:
            raise UnsupportedShape(f"{shape.shown}: SPARQL constraints in a nested shape are not implemented")
        self._nesting.append(id(shape))
        try:
            tests = [self.holds(shape, k, v) for k in shape.constraints]
            for prop in shape.properties:
                if shape.path is None:
                    tests.append(self.conforms(prop, v))
                else:
                    x = self.fresh()
                    tests.append(f"NOT EXISTS {{ {v} {shape.path.sparql} {x} FILTER(!{self.conforms(prop, x)}) }}")
        finally:
            self._nesting.pop()
        return "(" + " && ".join(tests) + ")" if tests else "true"

    def holds(self, shape: Shape, k: Constraint, v: str) -> str:
        """One constraint of a nested shape, as an expression over its focus node in ``v``."""
        entry = component(shape, k)
        test, holds = entry.test, entry.holds
        if test is None:
            assert holds is not None  # every entry has one or the other
            return f"COALESCE({holds(self, shape, k, v)}, false)"
        if shape.path is None:
            return f"COALESCE({test(self, k, v)}, false)"
        x = self.fresh()
        return f"NOT EXISTS {{ {v} {shape.path.sparql} {x} FILTER(!COALESCE({test(self, k, x)}, false)) }}"

    def at_least(self, shape: Shape, v: str, n: int, test: Callable[[str], str] | None = None) -> str:
        """An expression true when the node in ``v`` has at least ``n`` distinct values on the shape's path (that
        pass ``test``): ``n`` values named and compared pairwise, so it can be nested in any expression."""
        if n <= 0:
            return "true"
        if n > _MAX_NESTED_COUNT:
            raise UnsupportedShape(
                f"{shape.shown}: a count above {_MAX_NESTED_COUNT} in a nested shape is not implemented"
            )
        names = [self.fresh() for _ in range(n)]
        patterns = " ".join(f"{v} {self.path(shape)} {x} ." for x in names)
        filters = [f"!sameTerm({a}, {b})" for a, b in combinations(names, 2)]
        if test is not None:
            filters += [f"COALESCE({test(x)}, false)" for x in names]
        return f"EXISTS {{ {patterns} {'FILTER(' + ' && '.join(filters) + ')' if filters else ''} }}"


def select(store: ox.Store, text: str) -> ox.QuerySolutions:
    """The solutions of a SELECT query on the union of the store's graphs."""
    found = store.query(text, use_default_graph_as_union=True)
    assert isinstance(found, ox.QuerySolutions)
    return found


def run(
    store: ox.Store,
    model: ShapesModel,
    focus: list[ox.NamedNode] | None = None,
    written: Iterable[ox.Quad | ox.Triple] | WrittenLiterals | None = None,
) -> list[Result]:
    """Every validation result of the shapes on the union of the store's graphs. ``written``: the data as parsed
    (or its WrittenLiterals), so results name its literals as written; without it the store's terms are the
    data's (the build validates its own store). Queries run on two threads (Oxigraph evaluates them without the
    GIL; the machines this runs on have two cores)."""
    if written is not None and not isinstance(written, WrittenLiterals):
        written = WrittenLiterals.of_quads(written)
    compiler = Compiler(store, model, focus, written)
    queries = list(compiler.queries())

    def results_of(query: Query) -> list[Result]:
        return list(results(query, select(store, query.text), compiler.written))

    with ThreadPoolExecutor(max_workers=2) as pool:
        return [result for found in pool.map(results_of, queries) for result in found]
