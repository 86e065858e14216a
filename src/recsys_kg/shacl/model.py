"""Shapes as plain objects that the SPARQL compiler (compiler.py) turns into queries.

Every SHACL parameter of a shape is read generically, by its local name (``minCount``, ``class`` …): the compiler's
registry decides which it implements, and refuses any other with the shape and the parameter named
(UnsupportedShape), so a shape is never passed silently unchecked. Here only SHACL's structure is known: targets,
paths, nesting, which parameters take shapes, and the annotations results carry (severity, message and the rule
id, ``rkgsh:ruleId``, data on the shape rather than a prefix of its message).

The shapes graph is built from Oxigraph's parse without rdflib's literal normalization (:func:`shapes_graph_of`),
so a parameter reads as written: ``sh:uniqueLang "1"^^xsd:boolean`` is not ``true`` (SHACL asks for the literal
``true``), and ``sh:targetNode 4.0`` stays ``4.0``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from recsys_kg.rdf.namespaces import SH, SH_RKG
from recsys_kg.rdf.rdflib_terms import to_rdflib
from recsys_kg.shacl.report import compact, render_path

# Parameters that are not constraints of their own: targets, paths, nesting and result annotations, and the
# parameters a constraint reads beside its own (flags, ignored properties, qualified counts).
_STRUCTURE = {
    RDF.type,
    RDFS.comment,
    RDFS.label,
    SH.path,
    SH.property,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.target,
    SH.severity,
    SH.message,
    SH.deactivated,
    SH.name,
    SH.description,
    SH.flags,
    SH.ignoredProperties,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
    SH.declare,
    SH.prefixes,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH_RKG.scope,
    SH_RKG.ruleId,
}
# Parameters whose value is a shape, a list of shapes, or a list of terms; any other's value is one term.
_SHAPE = {SH.node, SH["not"], SH.qualifiedValueShape}
_SHAPE_LIST = {SH["and"], SH["or"], SH.xone}
_TERM_LIST = {SH["in"], SH.languageIn}
SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
TRUE = Literal("true", datatype=URIRef("http://www.w3.org/2001/XMLSchema#boolean"), normalize=False)


class UnsupportedShape(Exception):
    """A shape uses a SHACL feature the SPARQL validator does not implement."""


@dataclass(frozen=True)
class Path:
    """A property path: SPARQL text with whole IRIs (for queries) and the compact form results show."""

    sparql: str
    shown: str
    predicate: URIRef | None  # set when the path is one predicate (sh:closed allows exactly those)


@dataclass
class Constraint:
    """One constraint: the parameter that makes it (``minCount``, ``class``, …) and its value: a term, a Shape, or
    a Python list (of terms or Shapes); ``extra`` holds the parameters read beside it."""

    parameter: str
    value: Any  # a term, a Shape, or a list of either (the parameter decides)
    extra: dict = field(default_factory=dict)  # pattern flags, qualified counts and siblings, closed's ignored


@dataclass
class SparqlConstraint:
    node: URIRef | BNode
    select: str
    message: str | None
    rule: str | None


@dataclass
class Shape:
    node: URIRef | BNode
    path: Path | None = None
    targets: list[tuple[str, Any]] = field(default_factory=list)  # ("class", C), ("subjectsOf", P), ...
    constraints: list[Constraint] = field(default_factory=list)
    sparql: list[SparqlConstraint] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    severity: str = "Violation"  # Violation, Warning, Info, or the IRI of a custom severity
    message: str | None = None
    rule: str | None = None
    deactivated: bool = False

    @property
    def shown(self) -> str:
        return compact(self.node) if isinstance(self.node, URIRef) else "[]"


@dataclass
class ShapesModel:
    shapes: list[Shape]  # the shapes with targets (validation starts from them), in a stable order
    prefixes: str  # PREFIX block from sh:declare, for SPARQL-based constraints and targets


def shapes_graph_of(quads: Iterable[ox.Quad]) -> Graph:
    """An rdflib graph of parsed shapes with every literal as written (see the module docstring)."""
    graph = Graph()
    add = graph.store.add
    for quad in quads:
        subject, value = cast(ox.NamedNode | ox.BlankNode, quad.subject), cast(ox.Literal, quad.object)  # no RDF-star
        add((to_rdflib(subject), to_rdflib(quad.predicate), to_rdflib(value, normalize=False)), graph)
    return graph


def read_shapes(graph: Graph) -> ShapesModel:
    """Every shape with a target, with its property shapes and the shapes its constraints nest."""
    reader = _Reader(graph)
    tops = {
        s
        for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
        for s in graph.subjects(p, None)
    } | _implicit_class_targets(graph)
    shapes = [reader.shape(node) for node in sorted(tops, key=str)]
    return ShapesModel(shapes, _prefixes(graph))


def _implicit_class_targets(graph: Graph) -> set:
    """Shapes that are also classes target their instances (SHACL §2.1.3.3)."""
    shapes = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type, SH.PropertyShape))
    return {s for s in shapes if (s, RDF.type, RDFS.Class) in graph or (s, RDF.type, OWL.Class) in graph}


def _prefixes(graph: Graph) -> str:
    declared = {
        (str(graph.value(d, SH.prefix)), str(graph.value(d, SH.namespace))) for d in graph.objects(None, SH.declare)
    }
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in sorted(declared))


def _text(value) -> str | None:
    return str(value) if value is not None else None


class _Reader:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.cache: dict = {}
        self.classes = _implicit_class_targets(graph)

    def shape(self, node) -> Shape:
        if node in self.cache:
            return self.cache[node]
        g = self.graph
        shape = self.cache[node] = Shape(node)
        path = g.value(node, SH.path)
        shape.path = self.path(path) if path is not None else None
        severity = g.value(node, SH.severity)
        shape.severity = SEVERITIES.get(severity, str(severity)) if severity is not None else "Violation"
        shape.message = _text(g.value(node, SH.message))
        shape.rule = _text(g.value(node, SH_RKG.ruleId))
        shape.deactivated = g.value(node, SH.deactivated) == TRUE
        shape.targets = sorted(
            [("class", c) for c in g.objects(node, SH.targetClass)]
            + ([("class", node)] if node in self.classes else [])
            + [("node", n) for n in g.objects(node, SH.targetNode)]
            + [("subjectsOf", p) for p in g.objects(node, SH.targetSubjectsOf)]
            + [("objectsOf", p) for p in g.objects(node, SH.targetObjectsOf)]
            + [("sparql", self.sparql_target(t)) for t in g.objects(node, SH.target)],
            key=str,
        )
        shape.properties = [self.shape(p) for p in sorted(g.objects(node, SH.property), key=str)]
        for predicate, value in sorted(g.predicate_objects(node), key=str):
            if predicate in _STRUCTURE or not str(predicate).startswith(str(SH)):
                continue
            if predicate == SH.sparql:
                shape.sparql.append(self.sparql_constraint(value))
            else:
                shape.constraints.append(self.constraint(node, predicate, value))
        return shape

    def constraint(self, node, predicate, value) -> Constraint:
        g, parameter = self.graph, str(predicate)[len(str(SH)) :]
        if predicate in _SHAPE_LIST:
            return Constraint(parameter, [self.shape(item) for item in Collection(g, value)])
        if predicate == SH.qualifiedValueShape:
            counts = {
                k: int(v)
                for k, v in (("min", g.value(node, SH.qualifiedMinCount)), ("max", g.value(node, SH.qualifiedMaxCount)))
                if v is not None
            }
            return Constraint(parameter, self.shape(value), {**counts, "siblings": self.siblings(node, value)})
        if predicate in _SHAPE:
            return Constraint(parameter, self.shape(value))
        if predicate in _TERM_LIST:
            return Constraint(parameter, list(Collection(g, value)))
        if predicate == SH.pattern:
            return Constraint(parameter, str(value), {"flags": str(g.value(node, SH.flags) or "")})
        if predicate == SH.closed:
            ignored = g.value(node, SH.ignoredProperties)
            return Constraint(
                parameter, value == TRUE, {"ignored": list(Collection(g, ignored)) if ignored is not None else []}
            )
        return Constraint(parameter, value)

    def siblings(self, node, value) -> list[Shape]:
        """With ``sh:qualifiedValueShapesDisjoint true``: the qualified value shapes of the other property shapes
        of the shapes that have this one (SHACL §4.7.3, sibling shapes); otherwise none."""
        g = self.graph
        if g.value(node, SH.qualifiedValueShapesDisjoint) != TRUE:
            return []
        found = {
            other
            for parent in g.subjects(SH.property, node)
            for prop in g.objects(parent, SH.property)
            for other in g.objects(prop, SH.qualifiedValueShape)
            if other != value
        }
        return [self.shape(other) for other in sorted(found, key=str)]

    def sparql_target(self, node) -> str:
        g = self.graph
        if g.value(node, RDF.type) != SH.SPARQLTarget:
            raise UnsupportedShape(f"{compact(node)}: only SPARQL targets (sh:SPARQLTarget) are implemented")
        return str(g.value(node, SH.select))

    def sparql_constraint(self, node) -> SparqlConstraint:
        g = self.graph
        if g.value(node, SH.ask) is not None or g.value(node, SH.select) is None:
            raise UnsupportedShape(f"{compact(node)}: only SELECT-based SPARQL constraints are implemented")
        return SparqlConstraint(
            node, str(g.value(node, SH.select)), _text(g.value(node, SH.message)), _text(g.value(node, SH_RKG.ruleId))
        )

    def path(self, node) -> Path:
        return Path(self._path_sparql(node), render_path(self.graph, node), node if isinstance(node, URIRef) else None)

    def _path_sparql(self, node) -> str:
        g = self.graph
        if isinstance(node, URIRef):
            return f"<{node}>"
        if (node, RDF.first, None) in g:
            return "(" + "/".join(self._path_sparql(step) for step in Collection(g, node)) + ")"
        for predicate, template in (
            (SH.inversePath, "^{}"),
            (SH.zeroOrMorePath, "{}*"),
            (SH.oneOrMorePath, "{}+"),
            (SH.zeroOrOnePath, "{}?"),
        ):
            inner = g.value(node, predicate)
            if inner is not None:
                return "(" + template.format(self._path_sparql(inner)) + ")"
        alternatives = g.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self._path_sparql(step) for step in Collection(g, alternatives)) + ")"
        raise UnsupportedShape(f"{compact(node)}: not a SHACL property path")
