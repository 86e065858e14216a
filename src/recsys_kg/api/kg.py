"""`recsys_kg.open()`: the knowledge graph as a Python object, for notebooks and scripts.

It is the command line's engine without the command line: the same in-memory Oxigraph store `recsys-kg query`
reads, the same canned queries with parameters resolved by name and bound as RDF terms (`query.lookup`), the
same paper search (`query.search`). Nothing here reaches the network; the only file written is the build, when
``open()`` finds none and builds it.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from recsys_kg import paths
from recsys_kg.api.paper import CLAIMS_QUERY, Paper, read_paper
from recsys_kg.api.result import Result
from recsys_kg.build.pipeline import DATASET_NQ
from recsys_kg.query.canned import QueryError, QueryResult, QuerySpec, catalogue, get_spec, run
from recsys_kg.query.lookup import Lookup
from recsys_kg.query.search import Hit
from recsys_kg.rdf.dataset import open_store
from recsys_kg.rdf.namespaces import PREFIXES

__all__ = ["KG", "Hit", "Paper", "QueryError", "Result", "open"]


def default_path() -> Path:
    """Where `recsys-kg build` writes the dataset: build/recsys-kg.nq of the home (see `recsys_kg.paths`)."""
    return paths.default_build_dir() / DATASET_NQ


def open(path: str | Path | None = None) -> KG:  # noqa: A001 (recsys_kg.open, like io.open, is the entry point)
    """The graph in ``path`` (a dataset `recsys-kg build` or `recsys-kg export` wrote); without a path, the
    built graph of the home, built first when there is none. DatasetError when the file cannot be read."""
    if path is None:
        path = default_path()
        if not path.exists():
            from recsys_kg.build.pipeline import build_dataset, write_outputs

            write_outputs(build_dataset(), path.parent)
    return KG(open_store(Path(path)), Path(path))


class KG:
    """The knowledge graph: canned and ad-hoc queries, paper look-up and search."""

    def __init__(self, store: ox.Store, path: Path | None = None) -> None:
        self.store = store
        self.path = path
        self._lookup = Lookup(store)
        self._specs: dict[str, QuerySpec] = {}  # read once: parsing a header's YAML costs more than a small query

    def __repr__(self) -> str:
        return f"<KG {self.path or 'in memory'}: {len(self.store)} quads>"

    def queries(self) -> dict[str, QuerySpec]:
        """The canned queries by name (title, description, parameters, columns)."""
        return catalogue()

    def query(self, name: str, **params: str) -> Result:
        """Run the canned query ``name`` (queries/<name>.rq); keyword arguments are its parameters, by IRI or by
        name (``company="Alibaba"``). QueryError for an unknown query, parameter or value, listing the closest."""
        spec = self._spec(name)
        terms = self._lookup.terms(spec, {key: str(value) for key, value in params.items()})
        return Result(run(self.store, spec, terms=terms), self.store)

    def _spec(self, name: str) -> QuerySpec:
        if name not in self._specs:
            self._specs[name] = get_spec(name)
        return self._specs[name]

    def sparql(self, text: str, union: bool = False) -> Result | bool:
        """Any SPARQL query with the project prefixes predeclared: a Result for SELECT, CONSTRUCT and DESCRIBE
        (columns subject, predicate, object), a bool for ASK. The default graph is empty unless ``union``:
        every statement is in a named graph, so name one with GRAPH or pass ``union=True``."""
        try:
            answer = self.store.query(
                text, prefixes={p: str(ns) for p, ns in PREFIXES.items()}, use_default_graph_as_union=union
            )
        except SyntaxError as exc:
            raise QueryError(f"invalid SPARQL: {exc}") from None
        if isinstance(answer, ox.QueryBoolean):
            return bool(answer)
        if isinstance(answer, ox.QuerySolutions):
            columns = tuple(v.value for v in answer.variables)
            return Result(QueryResult(columns, [tuple(s) for s in answer]), self.store)
        triples = sorted(answer, key=str)
        rows: list[tuple] = [(t.subject, t.predicate, t.object) for t in triples]
        return Result(QueryResult(("subject", "predicate", "object"), rows), self.store)

    def search(self, text: str, limit: int = 10) -> list[Hit]:
        """Papers for an identifier in any form (exact, score 100) or for title / method-name words, fuzzy,
        best first; each hit has ``paper`` (IRI), ``title``, ``score`` (0-100) and what ``matched``."""
        return self._lookup.papers.search(text, limit)

    def paper(self, ref: str) -> Paper:
        """The one paper ``ref`` names (IRI, any identifier form or link, title, method name) with every claim of
        every list (the ``paper-claims`` query). QueryError when it names none, or several (a method name two
        papers use: see `papers`)."""
        found = self.papers(ref)
        if len(found) > 1:
            listed = "; ".join(f"{p.iri} ({p.title})" for p in found)
            raise QueryError(f"{ref!r} names {len(found)} papers: {listed}; use kg.papers() or pass one of the IRIs")
        return found[0]

    def papers(self, ref: str) -> list[Paper]:
        """Every paper ``ref`` names (a method name several papers use gives them all)."""
        iris = self._lookup.resolve_papers(ref, "ref")
        spec = self._spec(CLAIMS_QUERY)
        return [read_paper(self.store, spec, iri, self._lookup.papers.title(iri)) for iri in iris]

    def query_text(self, name: str, **params: str) -> str:
        """The standalone SPARQL text `query` runs (parameters bound), for another store."""
        from recsys_kg.query.canned import bound_text

        spec = self._spec(name)
        return bound_text(spec, self._lookup.terms(spec, {k: str(v) for k, v in params.items()}))
