"""The shapes of shapes/ as plain objects that the SPARQL validator (shacl_sparql.py) compiles into queries.

Only the SHACL Core and SHACL-AF features the project's shapes use are read. Any other SHACL parameter raises
UnsupportedShape naming the shape and the parameter, so a new shape is never passed silently unchecked; the
pySHACL reference engine (``validate --engine pyshacl``) implements all of SHACL and a test keeps both engines'
results equal on the seed graph and on every shape fixture.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from recsys_kg.rdf.namespaces import SH, SH_RKG
from recsys_kg.shacl.report import compact, render_path

# Parameters that are not constraints of their own: targets, paths, nesting and result annotations.
_STRUCTURE = {RDF.type, RDFS.comment, RDFS.label, SH.path, SH.property, SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
              SH.targetObjectsOf, SH.target, SH.severity, SH.message, SH.deactivated, SH.name, SH.description,
              SH.flags, SH.ignoredProperties, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.declare, SH.order,
              SH.group, SH_RKG.scope}
# Constraint parameters with one value each (a node or a literal), by SHACL constraint component.
SINGLE = {SH["class"]: "Class", SH.datatype: "Datatype", SH.nodeKind: "NodeKind", SH.pattern: "Pattern",
          SH.minCount: "MinCount", SH.maxCount: "MaxCount", SH.hasValue: "HasValue",
          SH.minInclusive: "MinInclusive", SH.minExclusive: "MinExclusive", SH.maxInclusive: "MaxInclusive",
          SH.maxExclusive: "MaxExclusive", SH.uniqueLang: "UniqueLang", SH.equals: "Equals",
          SH.lessThan: "LessThan", SH.lessThanOrEquals: "LessThanOrEquals", SH["not"]: "Not", SH.node: "Node",
          SH.qualifiedValueShape: "QualifiedValueShape", SH.closed: "Closed"}
LISTS = {SH["in"]: "In", SH["or"]: "Or", SH["and"]: "And"}
SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


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
    """One constraint: its component (``Class``, ``MinCount``, …) and parameter value(s); nested shapes are
    Shapes, lists are Python lists."""

    component: str
    value: object
    extra: dict = field(default_factory=dict)  # pattern flags, qualified counts, closed's ignored properties


@dataclass
class SparqlConstraint:
    node: URIRef | BNode
    select: str
    message: str | None


@dataclass
class Shape:
    node: URIRef | BNode
    path: Path | None = None
    targets: list[tuple[str, object]] = field(default_factory=list)  # ("class", C), ("subjectsOf", P), ...
    constraints: list[Constraint] = field(default_factory=list)
    sparql: list[SparqlConstraint] = field(default_factory=list)
    properties: list["Shape"] = field(default_factory=list)
    severity: str = "Violation"
    message: str | None = None
    deactivated: bool = False

    @property
    def shown(self) -> str:
        return compact(self.node) if isinstance(self.node, URIRef) else "[]"


@dataclass
class ShapesModel:
    shapes: list[Shape]  # the shapes with targets (validation starts from them), in a stable order
    prefixes: str  # PREFIX block from sh:declare, for SPARQL-based constraints and targets


def read_shapes(graph: Graph) -> ShapesModel:
    """Every shape with a target, with its property shapes and the shapes its constraints nest."""
    reader = _Reader(graph)
    tops = {s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
            for s in graph.subjects(p, None)} | _implicit_class_targets(graph)
    shapes = [reader.shape(node) for node in sorted(tops, key=str)]
    return ShapesModel(shapes, _prefixes(graph))


def _implicit_class_targets(graph: Graph) -> set:
    """Shapes that are also classes target their instances (SHACL §2.1.3.3)."""
    shapes = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type, SH.PropertyShape))
    return {s for s in shapes if (s, RDF.type, RDFS.Class) in graph or (s, RDF.type, OWL.Class) in graph}


def _prefixes(graph: Graph) -> str:
    declared = {(str(graph.value(d, SH.prefix)), str(graph.value(d, SH.namespace)))
                for d in graph.objects(None, SH.declare)}
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in sorted(declared))


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
        shape.severity = SEVERITIES.get(g.value(node, SH.severity), "Violation")
        message = g.value(node, SH.message)
        shape.message = str(message) if message is not None else None
        shape.deactivated = g.value(node, SH.deactivated) == Literal(True)
        shape.targets = sorted(
            [("class", c) for c in g.objects(node, SH.targetClass)]
            + ([("class", node)] if node in self.classes else [])
            + [("node", n) for n in g.objects(node, SH.targetNode)]
            + [("subjectsOf", p) for p in g.objects(node, SH.targetSubjectsOf)]
            + [("objectsOf", p) for p in g.objects(node, SH.targetObjectsOf)]
            + [("sparql", self.sparql_target(t)) for t in g.objects(node, SH.target)], key=str)
        shape.properties = [self.shape(p) for p in sorted(g.objects(node, SH.property), key=str)]
        for predicate, value in sorted(g.predicate_objects(node), key=str):
            if predicate in _STRUCTURE:
                continue
            if predicate == SH.sparql:
                shape.sparql.append(self.sparql_constraint(value))
            elif predicate in LISTS:
                items = list(Collection(g, value))
                if predicate != SH["in"]:
                    items = [self.shape(item) for item in items]
                shape.constraints.append(Constraint(LISTS[predicate], items))
            elif predicate in SINGLE:
                shape.constraints.append(self.single(node, predicate, value))
            elif str(predicate).startswith(str(SH)) or predicate == SH_RKG.titleKey:
                raise UnsupportedShape(f"{compact(node)}: the SPARQL validator does not implement {compact(predicate)}; "
                                       "use `--engine pyshacl` or extend src/recsys_kg/shacl_sparql.py")
        return shape

    def single(self, node, predicate, value) -> Constraint:
        g, component = self.graph, SINGLE[predicate]
        if component in ("Not", "Node"):
            return Constraint(component, self.shape(value))
        if component == "QualifiedValueShape":
            counts = {k: int(v) for k, v in (("min", g.value(node, SH.qualifiedMinCount)),
                                             ("max", g.value(node, SH.qualifiedMaxCount))) if v is not None}
            return Constraint(component, self.shape(value), counts)
        if component == "Pattern":
            flags = g.value(node, SH.flags)
            return Constraint(component, str(value), {"flags": str(flags) if flags is not None else ""})
        if component == "Closed":
            ignored = g.value(node, SH.ignoredProperties)
            return Constraint(component, value == Literal(True),
                              {"ignored": list(Collection(g, ignored)) if ignored is not None else []})
        return Constraint(component, value)

    def sparql_target(self, node) -> str:
        g = self.graph
        if g.value(node, RDF.type) != SH.SPARQLTarget:
            raise UnsupportedShape(f"{compact(node)}: only SPARQL targets (sh:SPARQLTarget) are implemented")
        return str(g.value(node, SH.select))

    def sparql_constraint(self, node) -> SparqlConstraint:
        g = self.graph
        if g.value(node, SH.ask) is not None or g.value(node, SH.select) is None:
            raise UnsupportedShape(f"{compact(node)}: only SELECT-based SPARQL constraints are implemented")
        message = g.value(node, SH.message)
        return SparqlConstraint(node, str(g.value(node, SH.select)), str(message) if message is not None else None)

    def path(self, node) -> Path:
        return Path(self._path_sparql(node), render_path(self.graph, node), node if isinstance(node, URIRef) else None)

    def _path_sparql(self, node) -> str:
        g = self.graph
        if isinstance(node, URIRef):
            return f"<{node}>"
        if (node, RDF.first, None) in g:
            return "(" + "/".join(self._path_sparql(step) for step in Collection(g, node)) + ")"
        for predicate, template in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
                                    (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
            inner = g.value(node, predicate)
            if inner is not None:
                return "(" + template.format(self._path_sparql(inner)) + ")"
        alternatives = g.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self._path_sparql(step) for step in Collection(g, alternatives)) + ")"
        raise UnsupportedShape(f"{compact(node)}: not a SHACL property path")
