"""Validate the graph, or contributions in the context of the graph, against the SHACL shapes in shapes/.

Two engines give the same results (tests/test_validate_engines.py). The build's, ``sparql``, compiles the shapes
into SPARQL queries that return only violations and runs them on an in-memory Oxigraph store
(shacl_sparql.py): 0.3 s on the seed graph, linear in its size. The reference, ``pyshacl``, runs pySHACL on an
rdflib graph (6 s on the seed graph, 600 s at 100x); it implements all of SHACL, so a shape using a feature
the SPARQL engine refuses (UnsupportedShape) can still be checked with it (validate_pyshacl.py).

The data graph is the union of the asserted named graphs and the ontology (the inferred graph is left out) plus
the title keys DUP-003 compares; the caller's quads are never changed. A contribution is added, in a graph of
its own, to a loaded copy of the built graph and validated with its focus nodes set to what it describes and
refers to; the graph is removed again afterwards, so the loaded copy serves the next file. Shapes with ``rkgsh:scope`` apply to one of
the two kinds of validation only (shapes/README.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from .identifiers import normalize_title
from .namespaces import RKG, SH, SH_RKG
from .ontology import ONTOLOGY_GRAPH
from .paths import PROJECT_ROOT, SHAPES_DIR, SOURCES_DIR
from .rdflib_terms import to_oxigraph, to_rdflib
from .shacl_model import ShapesModel, read_shapes
from .terms import GRAPH_BASE
from .validate_input import Contribution, ContributionError, read_contribution
from .validate_results import Result, ValidationReport

INFERRED_GRAPH = GRAPH_BASE + "inferred"
GRAPH_SCOPE, CONTRIBUTION_SCOPE = SH_RKG.GraphScope, SH_RKG.ContributionScope
ENGINES = ("sparql", "pyshacl")
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_PAPER = ox.NamedNode(str(RKG.Paper))
_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
_TITLE_KEY = ox.NamedNode(str(SH_RKG.titleKey))
# Graphs only the validator's store has: the title keys, and a contribution while it is validated.
TITLE_KEYS_GRAPH = ox.NamedNode(str(SH_RKG.titleKeys))
CONTRIBUTION_GRAPH = ox.NamedNode(str(SH_RKG.contribution))


class GraphFileError(Exception):
    """The graph to validate, or to validate contributions against, cannot be read."""


def data_store(quads: Iterable[ox.Quad]) -> ox.Store:
    """A new in-memory store of the given quads except the inferred graph's (a built dataset holds the ontology in
    its ontology graph), plus the title keys DUP-003 compares. The validator queries the union of its graphs;
    the quads keep their graphs because copying them into one graph costs more than the validation itself."""
    store = ox.Store()
    fill_store(store, quads)
    return store


def fill_store(store: ox.Store, quads: Iterable[ox.Quad]) -> None:
    inferred = ox.NamedNode(INFERRED_GRAPH)
    store.bulk_extend(q for q in quads if q.graph_name != inferred)
    store.bulk_extend(title_keys(store, store.quads_for_pattern(None, _TITLE, None)))


def title_keys(store: ox.Store, titles: Iterable[ox.Quad]) -> list[ox.Quad]:
    """``?paper rkgsh:titleKey key`` for each title of a paper (in a graph of their own): the resolver's normalized
    title, compared by DUP-003."""
    keys = []
    for quad in titles:
        if isinstance(quad.object, ox.Literal) and (key := normalize_title(quad.object.value)) \
                and next(store.quads_for_pattern(quad.subject, _RDF_TYPE, _PAPER), None) is not None:
            keys.append(ox.Quad(quad.subject, _TITLE_KEY, ox.Literal(key), TITLE_KEYS_GRAPH))
    return list(dict.fromkeys(keys))


@lru_cache(maxsize=2)
def shapes_graph(scope: URIRef = GRAPH_SCOPE) -> Graph:
    """Every shapes file, with the shapes of the other scope deactivated (cached: treat as read-only)."""
    graph = Graph()
    add = graph.store.add
    for path in sorted(SHAPES_DIR.glob("*.ttl")):  # parsed by Oxigraph: rdflib's Turtle parser takes 0.25 s
        for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
            add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)), graph)
    for shape, shape_scope in list(graph.subject_objects(SH_RKG.scope)):
        if shape_scope != scope:
            graph.add((shape, SH.deactivated, Literal(True)))
    return graph


@lru_cache(maxsize=2)
def shapes_model(scope: URIRef = GRAPH_SCOPE) -> ShapesModel:
    return read_shapes(shapes_graph(scope))


def _run(store: ox.Store, scope: URIRef, focus: list[ox.NamedNode] | None, engine: str) -> list[Result]:
    if engine == "pyshacl":
        from .validate_pyshacl import pyshacl_results

        return pyshacl_results(store, shapes_graph(scope), focus)
    if engine != "sparql":
        raise ValueError(f"unknown validation engine {engine!r}; one of {', '.join(ENGINES)}")
    from .shacl_sparql import run

    return run(store, shapes_model(scope), focus)


def validate_quads(quads: Iterable[ox.Quad], engine: str = "sparql") -> ValidationReport:
    """Validate a built dataset (its asserted graphs and the ontology; an inferred graph is left out)."""
    inferred = ox.NamedNode(INFERRED_GRAPH)
    store = ox.Store()
    store.bulk_extend(q for q in quads if q.graph_name != inferred)
    return validate_store(store, engine)


def validate_store(store: ox.Store, engine: str = "sparql") -> ValidationReport:
    """Validate the union of a store's graphs, which must not hold an inferred graph; used by `recsys-kg build`
    on the store it reasons in. The title keys are added for the run and removed again."""
    store.bulk_extend(title_keys(store, store.quads_for_pattern(None, _TITLE, None)))
    try:
        results = [_locate_in_store(store, r) for r in _run(store, GRAPH_SCOPE, None, engine)]
    finally:
        store.remove_graph(TITLE_KEYS_GRAPH)
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


def validate_graph_file(path: Path, engine: str = "sparql") -> ValidationReport:
    return validate_quads(load_graph_file(path), engine)


def validate_contributions(contributions: list[Contribution], context: ox.Store,
                           engine: str = "sparql") -> ValidationReport:
    """Validate parsed contributions in the context of a built dataset (a store from :func:`opened_context`), so
    duplicates and unknown references are found. Focus nodes are what the contributions describe and every IRI
    they write; a node they only refer to is reported only by shapes about how it is used (sh:targetObjectsOf:
    "is used as a venue but is not one"), not for its own description, which is the graph's business. The
    contributions' triples are added to the context for the run and removed afterwards."""
    context.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, CONTRIBUTION_GRAPH)
                        for contribution in contributions for t in contribution.triples)
    titles = list(context.quads_for_pattern(None, _TITLE, None, CONTRIBUTION_GRAPH))
    context.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, CONTRIBUTION_GRAPH)
                        for q in title_keys(context, titles))
    try:
        results = _run(context, CONTRIBUTION_SCOPE, _focus_nodes(contributions), engine)
    finally:
        context.remove_graph(CONTRIBUTION_GRAPH)
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


def _focus_nodes(contributions: list[Contribution]) -> list[ox.NamedNode]:
    terms = (t for c in contributions for t in [*c.subjects(), *c.mentioned()])
    return list(dict.fromkeys(ox.NamedNode(t.value) for t in terms))


@contextmanager
def opened_context(path: Path) -> Iterator[ox.Store]:
    """The built dataset at ``path`` as context for contributions, for the duration of the block: opened from the
    on-disk cache next to it (validate_context.py: built on first use, locked while open) or, where that cannot
    be written, loaded into memory. Do not keep the store beyond the block."""
    from .validate_context import ContextBusyError, ContextCache

    cache = ContextCache(path, lambda store: fill_store(store, contribution_context(load_graph_file(path))))
    try:
        store = cache.open()
    except ContextBusyError as exc:
        raise GraphFileError(str(exc)) from None
    except OSError:  # no graph (reported by load_graph_file below) or a cache that cannot be written here
        cache.close()
        yield data_store(contribution_context(load_graph_file(path)))
        return
    try:
        yield store
    finally:
        del store  # closes the database before the lock is released
        cache.close()


def value_shapes(shapes: Graph) -> set:
    """Shapes whose focus nodes are the values of a property (sh:targetObjectsOf), with their property shapes."""
    found = set(shapes.subjects(SH.targetObjectsOf, None))
    return found | {p for shape in found for p in shapes.objects(shape, SH.property)}


def contribution_context(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The built dataset as context for contributions, without the cells of table rows: they are about half the
    triples, and nothing a contribution may describe or refer to (CONTRIB-008) leads to them."""
    cell_type, has_cell = ox.NamedNode(str(RKG.Cell)), ox.NamedNode(str(RKG.hasCell))
    cells = {q.subject for q in quads if q.object == cell_type and q.predicate == _RDF_TYPE}
    return [q for q in quads if q.subject not in cells and q.predicate != has_cell]


def validate_contribution_files(paths: list[Path], graph_path: Path,
                                engine: str = "sparql") -> tuple[ValidationReport, list[ContributionError]]:
    """Read every file (collecting the unreadable ones), then validate the readable ones together."""
    contributions, errors = [], []
    for index, path in enumerate(paths, 1):
        try:
            contributions.append(read_contribution(path, index, _shown(path)))
        except ContributionError as exc:
            errors.append(exc)
    if not contributions:
        return ValidationReport(), errors
    with opened_context(graph_path) as context:
        return validate_contributions(contributions, context, engine), errors


def _shown(path: Path) -> str:
    """Paths inside the project relative to it (stable across checkouts), others as given."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT.resolve()))
    except ValueError:
        return str(path)


def _with_location(result: Result, file: str | None, line: int | None) -> Result:
    from dataclasses import replace

    return replace(result, file=file, line=line)


_LINE, _STATED_IN, _HAS_CELL, _DESCRIBES, _FROM_SOURCE, _FILE_NAME = (
    ox.NamedNode(str(RKG[name])) for name in ("lineNumber", "statedIn", "hasCell", "describes", "fromSource", "fileName"))


def _locate_in_store(store: ox.Store, result: Result) -> Result:
    """Where to fix a result of the built graph: the source list and line of the entry that states the focus
    node (itself, the entry a usage is stated in, the row a cell belongs to, or the first entry describing it)."""
    node = to_oxigraph(result.focus)

    def objects(s, p):
        return [q.object for q in store.quads_for_pattern(s, p, None)]

    def subjects(p, o):
        return [q.subject for q in store.quads_for_pattern(None, p, o)]

    if isinstance(node, ox.Literal):
        return result
    entries = [node] if objects(node, _LINE) else []
    entries = entries or objects(node, _STATED_IN) or subjects(_HAS_CELL, node) or subjects(_DESCRIBES, node)
    places = []
    for entry in entries:
        if isinstance(entry, ox.Literal):
            continue
        lines = [o for o in objects(entry, _LINE) if isinstance(o, ox.Literal)]
        files = [f for source in objects(entry, _FROM_SOURCE) if not isinstance(source, ox.Literal)
                 for f in objects(source, _FILE_NAME) if isinstance(f, ox.Literal)]
        if files and lines:
            try:
                places.append((files[0].value, int(lines[0].value)))
            except ValueError:
                continue
    if not places:
        return result
    file, line = min(places)
    return _with_location(result, str((SOURCES_DIR / file).relative_to(PROJECT_ROOT)), line)
