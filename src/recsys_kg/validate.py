"""Validate the graph, or contributions in the context of the graph, against the SHACL shapes in shapes/.

Engine: pySHACL on an in-memory rdflib graph (measured in /work/shared/perf-baseline.md: about 30× faster than
pySHACL over an Oxigraph store, which also fails every sh:in list of strings). The data graph is the union of
the asserted named graphs and the ontology, built directly from the quads (no parsing); the inferred graph is
left out, and the caller's quads are never changed. pySHACL sends the same SPARQL text for every focus node and
rdflib parses it again each time (15-20 ms, more than running it), so :class:`DataGraph` prepares each distinct
query once (0.3 ms a run after that).

A contribution is added to a loaded copy of the built graph and validated with ``focus_nodes`` set to what it
describes and refers to (pySHACL's ``ont_graph`` would not make the rest of the graph visible to the
constraints); its triples are removed again afterwards, so the loaded graph serves the next file. Shapes with
``rkgsh:scope`` apply to one of the two kinds of validation only (shapes/README.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF
from rdflib.plugins.sparql import prepareQuery

from .identifiers import normalize_title
from .namespaces import RKG, SH, SH_RKG
from .paths import PROJECT_ROOT, SHAPES_DIR, SOURCES_DIR
from .ontology import ONTOLOGY_GRAPH
from .rdflib_terms import to_rdflib
from .terms import GRAPH_BASE
from .validate_input import Contribution, ContributionError, read_contribution
from .validate_results import Result, ValidationReport, results_from_report

INFERRED_GRAPH = GRAPH_BASE + "inferred"
GRAPH_SCOPE, CONTRIBUTION_SCOPE = SH_RKG.GraphScope, SH_RKG.ContributionScope


class GraphFileError(Exception):
    """The graph to validate, or to validate contributions against, cannot be read."""


class DataGraph(Graph):
    """An rdflib graph whose SPARQL queries are parsed once per distinct text (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__()

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=512)
def _prepared(text: str):
    return prepareQuery(text)


def _to_rdflib(term, cache: dict):
    converted = cache.get(term)
    if converted is None:
        converted = cache[term] = to_rdflib(term)
    return converted


def data_graph(quads: Iterable[ox.Quad | ox.Triple]) -> DataGraph:
    """The union of the given quads' graphs except the inferred one (a built dataset holds the ontology in its
    ontology graph), plus the title keys DUP-003 compares."""
    graph, cache = DataGraph(), {}
    add = graph.store.add
    for quad in quads:
        if isinstance(quad, ox.Quad) and isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value == INFERRED_GRAPH:
            continue
        add((_to_rdflib(quad.subject, cache), _to_rdflib(quad.predicate, cache), _to_rdflib(quad.object, cache)), graph)
    add_title_keys(graph, list(graph.subject_objects(DCTERMS.title)))
    return graph


def add_title_keys(graph: Graph, titles: Iterable[tuple]) -> list[tuple]:
    """``?paper rkgsh:titleKey key`` for each title: the resolver's normalized title, compared by DUP-003.
    Returns the triples it added."""
    added = []
    for subject, title in titles:
        if (subject, RDF.type, RKG.Paper) in graph and isinstance(title, Literal) and (key := normalize_title(str(title))):
            triple = (subject, SH_RKG.titleKey, Literal(key))
            if triple not in graph:
                graph.add(triple)
                added.append(triple)
    return added


@lru_cache(maxsize=2)
def shapes_graph(scope: URIRef = GRAPH_SCOPE, directory: Path = SHAPES_DIR) -> Graph:
    """Every shapes file, with the shapes of the other scope deactivated (cached: treat as read-only)."""
    graph = Graph()
    for path in sorted(directory.glob("*.ttl")):
        graph.parse(path, format="turtle")
    for shape, shape_scope in list(graph.subject_objects(SH_RKG.scope)):
        if shape_scope != scope:
            graph.add((shape, SH.deactivated, Literal(True)))
    return graph


def _run(graph: DataGraph, scope: URIRef, focus: list[URIRef] | None = None) -> list[Result]:
    import pyshacl

    shapes = shapes_graph(scope)
    _conforms, report, _text = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, inplace=True, allow_warnings=True,
        focus_nodes=focus, abort_on_first=False)
    return results_from_report(report, shapes)


def validate_quads(quads: Iterable[ox.Quad]) -> ValidationReport:
    """Validate a built dataset (its asserted graphs and the ontology); used by `recsys-kg build`."""
    graph = data_graph(quads)
    results = [_locate_in_graph(graph, r) for r in _run(graph, GRAPH_SCOPE)]
    return ValidationReport(sorted(results, key=Result.sort_key))


def load_graph_file(path: Path) -> list[ox.Quad]:
    """The quads of a built dataset file (.nq or .trig), or GraphFileError with what to do about it."""
    formats = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG}
    fmt = formats.get(path.suffix.lower())
    if fmt is None:
        raise GraphFileError(f"{path}: the graph must be an N-Quads (.nq) or TriG (.trig) file of `recsys-kg build`")
    try:
        quads = list(ox.parse(path=path, format=fmt))
    except FileNotFoundError:
        raise GraphFileError(f"{path}: no built graph here; run `recsys-kg build` first or pass --graph PATH") from None
    except OSError as exc:
        raise GraphFileError(f"{path}: cannot read the graph: {exc.strerror or exc}") from None
    except SyntaxError as exc:
        raise GraphFileError(f"{path}:{exc.lineno}:{exc.offset}: the graph is not valid RDF: {exc.msg}") from None
    if not any(q.graph_name == ONTOLOGY_GRAPH for q in quads):
        raise GraphFileError(f"{path}: the dataset has no ontology graph ({ONTOLOGY_GRAPH.value}); validate a "
                             "dataset written by `recsys-kg build`")
    return quads


def validate_graph_file(path: Path) -> ValidationReport:
    return validate_quads(load_graph_file(path))


def validate_contributions(contributions: list[Contribution], context: DataGraph) -> ValidationReport:
    """Validate parsed contributions in the context of a built dataset (a graph from :func:`context_graph`), so
    duplicates and unknown references are found. Focus nodes are what the contributions describe and every IRI
    they write; a node they only refer to is reported only by shapes about how it is used (sh:targetObjectsOf:
    "is used as a venue but is not one"), not for its own description, which is the graph's business. The
    contributions' triples are added to the context for the run and removed afterwards."""
    cache: dict = {}
    added, titles = [], []
    for contribution in contributions:
        for t in contribution.triples:
            triple = (_to_rdflib(t.subject, cache), _to_rdflib(t.predicate, cache), _to_rdflib(t.object, cache))
            if triple not in context:
                context.add(triple)
                added.append(triple)
            if triple[1] == DCTERMS.title:
                titles.append((triple[0], triple[2]))
    added += add_title_keys(context, titles)
    try:
        results = _run(context, CONTRIBUTION_SCOPE, _focus_nodes(contributions))
    finally:
        for triple in added:
            context.remove(triple)
    described = {URIRef(t.value): c for c in reversed(contributions) for t in c.subjects()}
    mentioned = {URIRef(t.value): c for c in reversed(contributions) for t in c.mentioned()}
    about_use = value_shapes(shapes_graph(CONTRIBUTION_SCOPE))
    located = []
    for result in results:
        owner = described.get(result.focus)
        if owner is None and result.shape_node in about_use:
            owner = mentioned.get(result.focus)
        if owner is not None:
            located.append(_with_location(result, owner.file, owner.lines.get(str(result.focus))))
    return ValidationReport(sorted(located, key=Result.sort_key))


def _focus_nodes(contributions: list[Contribution]) -> list[URIRef]:
    terms = (t for c in contributions for t in [*c.subjects(), *c.mentioned()])
    return list(dict.fromkeys(URIRef(t.value) for t in terms))


def context_graph(path: Path) -> DataGraph:
    """The built dataset at ``path`` as context for contributions, loaded once per version of the file."""
    try:
        stat = path.stat()
    except OSError:
        stat = None
    return _context_graph(str(path), stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0)


@lru_cache(maxsize=1)
def _context_graph(path: str, _mtime_ns: int, _size: int) -> DataGraph:
    return data_graph(contribution_context(load_graph_file(Path(path))))


def value_shapes(shapes: Graph) -> set:
    """Shapes whose focus nodes are the values of a property (sh:targetObjectsOf), with their property shapes."""
    found = set(shapes.subjects(SH.targetObjectsOf, None))
    return found | {p for shape in found for p in shapes.objects(shape, SH.property)}


def contribution_context(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The built dataset as context for contributions, without the cells of table rows: they are about half the
    triples, and nothing a contribution may describe or refer to (CONTRIB-008) leads to them."""
    cell_type, has_cell = ox.NamedNode(str(RKG.Cell)), ox.NamedNode(str(RKG.hasCell))
    cells = {q.subject for q in quads if q.object == cell_type and q.predicate.value == str(RDF.type)}
    return [q for q in quads if q.subject not in cells and q.predicate != has_cell]


def validate_contribution_files(paths: list[Path], graph_path: Path) -> tuple[ValidationReport, list[ContributionError]]:
    """Read every file (collecting the unreadable ones), then validate the readable ones together."""
    contributions, errors = [], []
    for index, path in enumerate(paths, 1):
        try:
            contributions.append(read_contribution(path, index, _shown(path)))
        except ContributionError as exc:
            errors.append(exc)
    if not contributions:
        return ValidationReport(), errors
    return validate_contributions(contributions, context_graph(graph_path)), errors


def _shown(path: Path) -> str:
    """Paths inside the project relative to it (stable across checkouts), others as given."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT.resolve()))
    except ValueError:
        return str(path)


def _with_location(result: Result, file: str | None, line: int | None) -> Result:
    from dataclasses import replace

    return replace(result, file=file, line=line)


def _locate_in_graph(graph: Graph, result: Result) -> Result:
    """Where to fix a result of the built graph: the source list and line of the entry that states the focus
    node (itself, the entry a usage is stated in, the row a cell belongs to, or the first entry describing it)."""
    node = result.focus
    entries = [node] if (node, RKG.lineNumber, None) in graph else []
    entries = entries or list(graph.objects(node, RKG.statedIn)) or list(graph.subjects(RKG.hasCell, node))
    entries = entries or list(graph.subjects(RKG.describes, node))
    places = []
    for entry in entries:
        file = graph.value(graph.value(entry, RKG.fromSource), RKG.fileName)
        line = graph.value(entry, RKG.lineNumber)
        if file is not None and line is not None:
            places.append((str(file), int(line)))
    if not places:
        return result
    file, line = min(places)
    return _with_location(result, str((SOURCES_DIR / file).relative_to(PROJECT_ROOT)), line)
