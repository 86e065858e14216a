"""SHACL validation as SPARQL on an Oxigraph store: each shape becomes a few queries that return only violations.

Why: pySHACL walks the data graph node by node in Python (6 s on the seed graph, 600 s at 100x); the same
constraints as set-at-a-time SPARQL on Oxigraph take a fraction of a second and grow linearly. Per shape there is
one query for its value-level constraints (class, datatype, pattern, in, ranges, sh:or, sh:not ...; one boolean
column per constraint, rows only for values that fail one), one for its cardinalities, one per pair or
language constraint, and its SPARQL-based constraints with the focus nodes joined in (SHACL §5.3.1 pre-binding
of ``$this``; queries that pre-binding would change, with sub-selects, MINUS, VALUES or SERVICE, are refused).
Results follow SHACL §3.6 exactly as pySHACL reports them (which result has a value, which value), so the two
engines' reports are equal (tests/test_validate_engines.py).

Focus nodes are a shape's targets; with ``focus`` given (contributions) they are also restricted to those nodes.
The store is queried as the union of its graphs, which repeats a triple several graphs hold: every query
counts or selects distinct solutions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import count

import pyoxigraph as ox
from rdflib import Literal, URIRef

from recsys_kg.shacl.model import Constraint, Shape, ShapesModel, UnsupportedShape
from recsys_kg.shacl.solutions import HEAD, Query, results
from recsys_kg.shacl.report import Result

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_RDF_TYPE_NODE = ox.NamedNode(RDF_TYPE[1:-1])
SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
XSD = "http://www.w3.org/2001/XMLSchema#"
# Datatypes whose lexical forms SPARQL can check by casting (SHACL: an ill-typed literal fails sh:datatype).
_CASTABLE = {XSD + t for t in ("integer", "decimal", "boolean", "double", "float", "dateTime", "date")}
_NODE_KINDS = {"IRI": "isIRI({v})", "BlankNode": "isBlank({v})", "Literal": "isLiteral({v})",
               "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))", "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
               "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))"}
_COMPARISONS = {"MinInclusive": ">=", "MinExclusive": ">", "MaxInclusive": "<=", "MaxExclusive": "<"}
_PAIRS = {"LessThan": "<", "LessThanOrEquals": "<="}
_VALUE_LEVEL = {"Class", "Datatype", "NodeKind", "Pattern", "In", "Or", "And", "Not", "Node", "HasValue",
                *_COMPARISONS}
_NOT_PREBINDABLE = re.compile(r"\b(MINUS|VALUES|SERVICE)\b|\{\s*SELECT\b", re.IGNORECASE)
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


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


class Compiler:
    """Turns shapes into queries; ``focus`` restricts every shape's focus nodes (contributions)."""

    def __init__(self, store: ox.Store, model: ShapesModel, focus: list[ox.NamedNode] | None = None) -> None:
        self.store = store
        self.model = model
        self.focus = focus
        self._names = count(1)
        self._subclasses: dict[str, list[str] | None] = {}
        self._class_sets: dict[object, frozenset[str] | None] = {}
        self._sparql_hits: dict[str, frozenset[ox.NamedNode]] = {}
        self._predicates: set[str] | None = None
        self._by_type: dict[str, set[ox.NamedNode]] | None = None  # see _focus_index
        self._by_predicate: dict[str, set[ox.NamedNode]] = {}

    def subclasses(self, cls) -> list[str] | None:
        """The class and its sub-classes in the data (looked up once), or None when one is a blank node (which
        cannot be listed in VALUES)."""
        key = term(cls)
        if key not in self._subclasses:
            found = [row["c"] for row in self.store.query(f"SELECT DISTINCT ?c WHERE {{ ?c {SUBCLASS}* {key} }}",
                                                          use_default_graph_as_union=True)]
            self._subclasses[key] = None if any(isinstance(c, ox.BlankNode) for c in found) \
                else sorted({str(c) for c in found} | {key})
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
                found = self.store.query("SELECT DISTINCT ?p WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
                self._predicates = {row["p"].value for row in found}
            else:
                self._predicates = set(self._focus_index()[1])
        return self._predicates

    def fresh(self) -> str:
        return f"?_v{next(self._names)}"

    def queries(self) -> Iterator[Query]:
        for shape in self.model.shapes:
            if shape.deactivated:
                continue
            focus = self.focus_pattern(shape)
            if focus is None:
                continue
            yield from self.shape_queries(shape, focus)
            for prop in shape.properties:
                if not prop.deactivated:
                    yield from self.shape_queries(prop, focus)

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

    def _sparql_targeted(self, select: str) -> frozenset[ox.NamedNode]:
        """The focus candidates a SPARQL target selects: one query for all of them (not one per candidate)."""
        if select not in self._sparql_hits:
            values = f"VALUES ?this {{ {' '.join(str(n) for n in self.focus or [])} }}"
            solutions = self.store.query(self.model.prefixes + self.prebound(select, values),
                                         use_default_graph_as_union=True)
            self._sparql_hits[select] = frozenset(row["this"] for row in solutions)
        return self._sparql_hits[select]

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
                    chosen.update(n for n in focus if self.store.query(
                        f"ASK {{ {n} {RDF_TYPE}/{SUBCLASS}* {term(value)} }}", use_default_graph_as_union=True))
                else:
                    for cls in classes:
                        chosen |= by_type.get(cls, set())
            elif kind == "node":
                chosen.update(n for n in focus if n.value == str(value))
            elif kind == "subjectsOf":
                chosen |= by_predicate.get(str(value), set())
            elif kind == "objectsOf":
                predicate = ox.NamedNode(str(value))
                chosen.update(n for n in focus
                              if next(self.store.quads_for_pattern(None, predicate, n), None) is not None)
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

    def prebound(self, select: str, inserted: str = "") -> str:
        """A SPARQL SELECT from the shapes with ``inserted`` (the focus nodes) joined in first."""
        if _NOT_PREBINDABLE.search(select):
            raise UnsupportedShape("SPARQL constraints and targets with MINUS, VALUES, SERVICE or a sub-select "
                                   "cannot be pre-bound (SHACL §5.3.1); use `--engine pyshacl`")
        match = _WHERE.search(select)
        if match is None or not HEAD.match(select):
            raise UnsupportedShape("SPARQL constraints and targets must be SELECT [DISTINCT] ?variables WHERE { … }: "
                                   + select.strip()[:80])
        return select[:match.end()] + " " + inserted + " " + select[match.end():]

    def shape_queries(self, shape: Shape, focus: str) -> Iterator[Query]:
        value_level = [c for c in shape.constraints if c.component in _VALUE_LEVEL
                       and not (c.component == "HasValue" and shape.path is not None)]
        values = self.values(shape)
        if value_level:
            columns = [f"(COALESCE({self.condition(c, '?value')}, false) AS ?c{i})"
                       for i, c in enumerate(value_level)]
            failing = " || ".join(f"!?c{i}" for i in range(len(value_level)))
            text = (f"SELECT ?this ?value {' '.join(f'?c{i}' for i in range(len(value_level)))} WHERE {{ "
                    f"{{ SELECT DISTINCT ?this ?value {' '.join(columns)} WHERE {{ {focus} {values} }} }} "
                    f"FILTER({failing}) }}")
            yield Query(text, shape, [c.component for c in value_level], "values")
        counts = {c.component: int(c.value) for c in shape.constraints if c.component in ("MinCount", "MaxCount")}
        if counts:
            yield self.cardinality(shape, counts, focus, values)
        for c in shape.constraints:
            query = self.other(shape, c, focus, values)
            if query is not None:
                yield query
        for sparql in shape.sparql:
            yield Query(self.model.prefixes + self.every_solution(self.prebound(sparql.select, focus)), shape,
                         ["SPARQL"], "sparql", sparql)

    @staticmethod
    def every_solution(select: str) -> str:
        """The query with ``SELECT DISTINCT *``: the store's union of graphs repeats a triple that several graphs
        hold, and the shapes mean one solution per distinct binding of every variable (a set of triples); the
        original projection is applied to the rows afterwards (:func:`_projection`)."""
        return HEAD.sub("SELECT DISTINCT * WHERE {", select, count=1)

    def values(self, shape: Shape) -> str:
        if shape.path is None:
            return "BIND(?this AS ?value)"
        return f"?this {shape.path.sparql} ?value ."

    def cardinality(self, shape: Shape, counts: dict[str, int], focus: str, values: str) -> Query:
        """sh:minCount and sh:maxCount of a shape in one query (one count per focus node)."""
        tests = ([f"?n < {counts['MinCount']}"] if "MinCount" in counts else []) + \
                ([f"?n > {counts['MaxCount']}"] if "MaxCount" in counts else [])
        matched = f"OPTIONAL {{ {values} }}" if "MinCount" in counts else values
        text = (f"SELECT ?this ?n WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {focus} "
                f"{matched} }} GROUP BY ?this }} FILTER({' || '.join(tests)}) }}")
        return Query(text, shape, [], "counts", bounds=counts)

    def other(self, shape: Shape, c: Constraint, focus: str, values: str) -> Query | None:
        """Queries for the constraints that are not about one value at a time."""
        path = shape.path.sparql if shape.path else None
        if c.component == "HasValue" and path is not None:
            text = f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} {term(c.value)} }} }}"
            return Query(text, shape, [c.component], "rows")
        if c.component == "QualifiedValueShape":
            conforms = self.conforms(c.value, "?value")
            tests = ([f"?n < {c.extra['min']}"] if "min" in c.extra else []) + \
                    ([f"?n > {c.extra['max']}"] if "max" in c.extra else [])
            component = "QualifiedMinCount" if "min" in c.extra else "QualifiedMaxCount"
            text = (f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {focus} "
                    f"OPTIONAL {{ {values} FILTER({conforms}) }} }} GROUP BY ?this }} FILTER({' || '.join(tests)}) }}")
            return Query(text, shape, [component], "rows")
        if c.component == "UniqueLang" and c.value == Literal(True):
            text = (f"SELECT DISTINCT ?this (LANG(?value) AS ?lang) WHERE {{ {focus} {values} ?this {path} ?_other . "
                    f"FILTER(!sameTerm(?value, ?_other) && LANG(?value) != \"\" && LANG(?value) = LANG(?_other)) }}")
            return Query(text, shape, [c.component], "rows")
        if c.component == "Equals":
            other = term(c.value)
            text = (f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {{ {values} FILTER NOT EXISTS "
                    f"{{ ?this {other} ?value }} }} UNION {{ ?this {other} ?value FILTER NOT EXISTS "
                    f"{{ ?this {path or '?_none'} ?value }} }} }}")
            return Query(text, shape, [c.component], "values-only")
        if c.component in _PAIRS:
            text = (f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {values} ?this {term(c.value)} ?_other . "
                    f"FILTER(!COALESCE(?value {_PAIRS[c.component]} ?_other, false)) }}")
            return Query(text, shape, [c.component], "values-only")
        if c.component == "Closed" and c.value:
            return self.closed(shape, c, focus)
        if c.component in _VALUE_LEVEL or c.component in ("Closed", "UniqueLang", "MinCount", "MaxCount"):
            return None
        raise UnsupportedShape(f"{shape.shown}: sh:{c.component[0].lower()}{c.component[1:]} is not implemented")

    def closed(self, shape: Shape, c: Constraint, focus: str) -> Query | None:
        """sh:closed: the statements of focus nodes whose predicate is neither a property shape's nor ignored.
        Only the predicates the data uses outside that list are looked at, and the focus nodes are tested per
        statement (a few index lookups) instead of being listed first (most of the graph's nodes)."""
        allowed = {str(p.path.predicate) for p in shape.properties if p.path and p.path.predicate is not None}
        allowed |= {str(p) for p in c.extra["ignored"]}
        others = sorted(self.used_predicates() - allowed)
        if not others:
            return None
        listed = f"VALUES ?path {{ {' '.join(f'<{p}>' for p in others)} }} ?this ?path ?value ."
        where = f"{focus} {listed}" if self.focus is not None else f"{listed} FILTER EXISTS {{ {self.targets(shape)} }}"
        text = f"SELECT DISTINCT ?this ?path ?value WHERE {{ {where} }}"
        return Query(text, shape, ["Closed"], "closed")

    def condition(self, c: Constraint, v: str) -> str:
        """A SPARQL expression true when the node in ``v`` satisfies the value-level constraint ``c``."""
        comp, value = c.component, c.value
        if comp == "Class":
            return f"EXISTS {{ {self.instance_of(v, value)} }}"
        if comp == "Datatype":
            checks = [f"isLiteral({v})", f"DATATYPE({v}) = {term(value)}"]
            if str(value) in _CASTABLE:
                checks.append(f"COALESCE(isLiteral(<{value}>(STR({v}))), false)")
            return "(" + " && ".join(checks) + ")"
        if comp == "NodeKind":
            return _NODE_KINDS[str(value).rsplit("#", 1)[-1]].format(v=v)
        if comp == "Pattern":
            flags = f", {term(Literal(c.extra['flags']))}" if c.extra.get("flags") else ""
            return f"(!isBlank({v}) && REGEX(STR({v}), {term(Literal(value))}{flags}))"
        if comp == "In":
            return "(" + " || ".join(f"sameTerm({v}, {term(item)})" for item in value) + ")" if value else "false"
        if comp in _COMPARISONS:
            return f"({v} {_COMPARISONS[comp]} {term(value)})"
        if comp == "HasValue":
            return f"sameTerm({v}, {term(value)})"
        if comp == "Or":
            return "(" + " || ".join(self.conforms(s, v) for s in value) + ")"
        if comp == "And":
            return "(" + " && ".join(self.conforms(s, v) for s in value) + ")"
        if comp == "Not":
            return f"!{self.conforms(value, v)}"
        if comp == "Node":
            return self.conforms(value, v)
        raise UnsupportedShape(f"sh:{comp} inside a nested shape is not implemented")

    def conforms(self, shape: Shape, v: str) -> str:
        """A SPARQL expression true when the node in ``v`` conforms to a nested shape (no targets used)."""
        if shape.deactivated:
            return "true"
        if shape.sparql or shape.properties and any(p.properties for p in shape.properties):
            raise UnsupportedShape(f"{shape.shown}: nested shapes with SPARQL constraints are not implemented")
        tests = [self.conforms(p, v) for p in shape.properties]
        for c in shape.constraints:
            tests.append(self.nested(shape, c, v))
        return "(" + " && ".join(tests) + ")" if tests else "true"

    def nested(self, shape: Shape, c: Constraint, v: str) -> str:
        """One constraint of a nested shape, as an expression over the node in ``v``."""
        if shape.path is None:
            if c.component not in _VALUE_LEVEL:
                raise UnsupportedShape(f"{shape.shown}: sh:{c.component} in a nested node shape is not implemented")
            return f"COALESCE({self.condition(c, v)}, false)"
        path, each = shape.path.sparql, self.fresh()
        if c.component == "MinCount" and int(c.value) <= 1:
            return f"EXISTS {{ {v} {path} {each} }}" if int(c.value) == 1 else "true"
        if c.component == "MaxCount" and int(c.value) == 0:
            return f"NOT EXISTS {{ {v} {path} {each} }}"
        if c.component == "HasValue":
            return f"EXISTS {{ {v} {path} {term(c.value)} }}"
        if c.component in _VALUE_LEVEL:
            return f"NOT EXISTS {{ {v} {path} {each} FILTER(!COALESCE({self.condition(c, each)}, false)) }}"
        raise UnsupportedShape(f"{shape.shown}: sh:{c.component} in a nested property shape is not implemented")


def run(store: ox.Store, model: ShapesModel, focus: list[ox.NamedNode] | None = None) -> list[Result]:
    """Every validation result of the shapes on the union of the store's graphs. Queries run on two threads
    (Oxigraph evaluates them without the GIL; the machines this runs on have two cores)."""
    compiler = Compiler(store, model, focus)
    queries = list(compiler.queries())

    def results_of(query: Query) -> list[Result]:
        return list(results(query, store.query(query.text, use_default_graph_as_union=True)))

    with ThreadPoolExecutor(max_workers=2) as pool:
        return [result for found in pool.map(results_of, queries) for result in found]
