"""Contributions checked in the context of the built graph: duplicates, unknown references and malformed values
of a new paper file are found against what the graph already holds."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, URIRef

from recsys_kg import paths
from recsys_kg.rdf.dataset import DatasetError, graph_generation, read_built
from recsys_kg.rdf.graph_store import StoreUnavailable
from recsys_kg.rdf.graphs import CONTRIBUTION, INFERRED
from recsys_kg.rdf.namespaces import RKG
from recsys_kg.rdf.terms import RDF_TYPE
from recsys_kg.shacl.report import Result, ValidationReport
from recsys_kg.shacl.written import WrittenLiterals
from recsys_kg.validate.context_cache import ContextBusyError, ContextCache
from recsys_kg.validate.graph import TITLE, data_store, title_keys
from recsys_kg.validate.input import Contribution, ContributionError, read_contribution
from recsys_kg.validate.sanity import sanity_results
from recsys_kg.validate.shapes import CONTRIBUTION_SCOPE, run_shapes, shapes_graph, value_shapes


def validate_contributions(
    contributions: list[Contribution], context: ox.Store, engine: str = "sparql"
) -> ValidationReport:
    """Validate parsed contributions in the context of a built dataset (a store from :func:`opened_context`), so
    duplicates and unknown references are found. Focus nodes are what the contributions describe and every IRI
    they write; a node they only refer to is reported only by shapes about how it is used (sh:targetObjectsOf:
    "is used as a venue but is not one"), not for its own description, which is the graph's business. The
    contributions' triples are added to the context for the run and removed afterwards."""
    context.bulk_extend(
        ox.Quad(t.subject, t.predicate, t.object, CONTRIBUTION)
        for contribution in contributions
        for t in contribution.triples
    )
    titles = list(context.quads_for_pattern(None, TITLE, None, CONTRIBUTION))
    context.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, CONTRIBUTION) for q in title_keys(context, titles))
    try:
        written = WrittenLiterals(t.object for contribution in contributions for t in contribution.triples)
        results = run_shapes(context, CONTRIBUTION_SCOPE, _focus_nodes(contributions), engine, written)
    finally:
        context.remove_graph(CONTRIBUTION)
    described: dict[URIRef | BNode, Contribution] = {
        URIRef(t.value): c for c in reversed(contributions) for t in c.subjects()
    }
    mentioned: dict[URIRef | BNode, Contribution] = {
        URIRef(t.value): c for c in reversed(contributions) for t in c.mentioned()
    }
    about_use = value_shapes(shapes_graph(CONTRIBUTION_SCOPE))
    located = []
    for result in results:
        owner = described.get(result.focus)
        if owner is None and result.shape_node in about_use:
            owner = mentioned.get(result.focus)
        if owner is not None:
            located.append(replace(result, file=owner.file, line=owner.lines.get(str(result.focus))))
    located += [result for contribution in contributions for result in sanity_results(contribution)]
    return ValidationReport(sorted(located, key=Result.sort_key))


def _focus_nodes(contributions: list[Contribution]) -> list[ox.NamedNode]:
    terms = (t for c in contributions for t in [*c.subjects(), *c.mentioned()])
    return list(dict.fromkeys(ox.NamedNode(t.value) for t in terms))


@contextmanager
def opened_context(path: Path) -> Iterator[ox.Store]:
    """The built dataset at ``path`` as context for contributions, for the duration of the block: a writable copy
    of its persistent store (context_cache.py: made on first use, locked while open) or, where that cannot be
    written, the graph loaded into memory. Do not keep the store beyond the block."""
    cache = ContextCache(path, lambda: graph_generation(path), derive_context)
    try:
        store = cache.open()
    except ContextBusyError as exc:
        raise DatasetError(str(exc)) from None
    except (OSError, StoreUnavailable):  # no graph (reported by read_built below) or no store can be written here
        cache.close()
        yield data_store(contribution_context(read_built(path)))
        return
    try:
        yield store
    finally:
        del store  # closes the database before the lock is released
        cache.close()


def derive_context(store: ox.Store) -> None:
    """Turn a copy of the built graph's store into the validator's context (validate/graph.data_store): without
    the inferred graph, with the title keys. The entries' cells stay: nothing a contribution may describe or
    refer to leads to them (CONTRIB-008), so they change no result."""
    store.remove_graph(INFERRED)
    store.bulk_extend(title_keys(store, store.quads_for_pattern(None, TITLE, None)))


def contribution_context(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The built dataset as context for contributions, without the cells of table rows: they are about half the
    triples, and nothing a contribution may describe or refer to (CONTRIB-008) leads to them."""
    cell_type, has_cell = ox.NamedNode(str(RKG.Cell)), ox.NamedNode(str(RKG.hasCell))
    cells = {q.subject for q in quads if q.object == cell_type and q.predicate == RDF_TYPE}
    return [q for q in quads if q.subject not in cells and q.predicate != has_cell]


def validate_contribution_files(
    paths: list[Path], graph_path: Path, engine: str = "sparql"
) -> tuple[ValidationReport, list[ContributionError]]:
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
        return str(path.resolve().relative_to(paths.home().resolve()))
    except (ValueError, RuntimeError, OSError):  # outside the project; a symlink loop (read_contribution reports it)
        return str(path)
