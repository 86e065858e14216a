"""Parameter values the way people write them, resolved against the graph before they are bound.

``company=Alibaba``, ``strategy=LoRA``, ``venue=RecSys``, ``source=llm4rec-zh``: an ``iri`` parameter whose header
names a ``class`` also takes a label, an alias (skos:altLabel), a title or the last segment of an IRI of one of
that class's instances; a paper parameter (class rkg:Paper, or the ``paper`` query's ``q``) takes any identifier
form, link, title words or method name (`query.search`). The result is RDF terms, bound by `canned.bound_text`,
never text pasted into the query. An unknown value, a misspelt IRI, or a label several things share is a
QueryError that lists the closest matches, so nothing silently answers with zero rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING

import pyoxigraph as ox

from recsys_kg.normalize.identifiers import match_key, normalize_title
from recsys_kg.query.canned import Parameter, QueryError, QuerySpec, Term, bindings, expand_iri, select, to_term
from recsys_kg.query.output import sparql_name
from recsys_kg.rdf.namespaces import RKG

if TYPE_CHECKING:
    from recsys_kg.query.search import Hit, PaperIndex

PAPER_CLASS = str(RKG.Paper)
FUZZY_ACCEPT = 90.0  # a name this close to one paper's title or method name (a typo or two) is that paper
LABELS_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?class ?thing ?property ?label WHERE {
  GRAPH ?g { ?thing a ?class }
  OPTIONAL {
    GRAPH ?h { ?thing ?property ?label }
    VALUES ?property { rdfs:label skos:prefLabel dcterms:title skos:altLabel }
  }
}"""
# which name a message shows for a thing: its label first, an alias last
_NAME_RANK = {
    "http://www.w3.org/2000/01/rdf-schema#label": 0,
    "http://www.w3.org/2004/02/skos/core#prefLabel": 0,
    "http://purl.org/dc/terms/title": 1,
    "http://www.w3.org/2004/02/skos/core#altLabel": 2,
}


def _local_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def needs_graph(spec: QuerySpec, params: Mapping[str, str]) -> bool:
    """Whether an iri parameter is given a name to look up in the graph (then ``--text`` needs the data). A
    string parameter with a class is bound as typed there: the query matches the text itself."""
    return any(
        p.kind == "iri" and p.rdf_class is not None and p.name in params and not looks_like_iri(params[p.name].strip())
        for p in spec.parameters
    )


def check_written_iris(spec: QuerySpec, params: Mapping[str, str]) -> None:
    """QueryError for a value written as an IRI that is not a valid one, before any data is read."""
    for parameter in spec.parameters:
        value = params.get(parameter.name)
        if value is not None and parameter.kind == "iri" and looks_like_iri(value.strip()):
            to_term(parameter, value)


def looks_like_iri(value: str) -> bool:
    """Whether the value was written as an IRI (absolute, or a project prefixed name) rather than a name."""
    return "://" in value or expand_iri(value) != value or value.startswith("urn:")


class Lookup:
    """Resolves parameter values against one store; the indexes are read on first use and kept."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._labels: dict[str, dict[str, dict[str, str]]] = {}

    @cached_property
    def papers(self) -> PaperIndex:
        from recsys_kg.query.search import PaperIndex  # numpy and rapidfuzz only when a paper is looked up

        return PaperIndex(self.store)

    def labels(self, rdf_class: str) -> dict[str, dict[str, str]]:
        """Normalized name -> {instance IRI: the name to show for it} for every instance of the class; the names
        are labels, aliases, titles and the last segment of the IRI."""
        if rdf_class not in self._labels:
            keys: dict[str, set[str]] = defaultdict(set)
            shown: dict[str, tuple[int, str]] = {}
            solutions = select(self.store, LABELS_QUERY, substitutions={ox.Variable("class"): ox.NamedNode(rdf_class)})
            for _, thing, prop, label in solutions:
                if not isinstance(thing, ox.NamedNode):
                    continue
                local = _local_name(thing.value)
                candidates = [(3, local)] + ([(_NAME_RANK[prop.value], label.value)] if label is not None else [])
                for rank, name in candidates:
                    if key := match_key(name):
                        keys[key].add(thing.value)
                    shown[thing.value] = min(shown.get(thing.value, (rank, name)), (rank, name))
            self._labels[rdf_class] = {key: {iri: shown[iri][1] for iri in sorted(iris)} for key, iris in keys.items()}
        return self._labels[rdf_class]

    def terms(self, spec: QuerySpec, params: Mapping[str, str] | None = None) -> dict[str, list[Term]]:
        """Parameter name -> the terms to bind: defaults as written, given values resolved."""
        params = dict(params or {})
        bound = bindings(spec, {k: v for k, v in params.items() if not self._resolves(spec, k)})
        terms: dict[str, list[Term]] = {name: [term] for name, term in bound.items()}
        for parameter in spec.parameters:
            if parameter.name in params and self._resolves(spec, parameter.name):
                terms[parameter.name] = self.resolve(parameter, params[parameter.name])
        return terms

    @staticmethod
    def _resolves(spec: QuerySpec, name: str) -> bool:
        return any(p.name == name and p.rdf_class is not None for p in spec.parameters)

    def resolve(self, parameter: Parameter, value: str) -> list[Term]:
        """The terms a value stands for; QueryError naming the closest matches when it is unknown or ambiguous."""
        assert parameter.rdf_class is not None
        text = value.strip()
        if not text:
            raise QueryError(f"parameter {parameter.name!r} is empty")
        if parameter.rdf_class == PAPER_CLASS:
            return [ox.NamedNode(p) for p in self.resolve_papers(text, parameter.name)]
        labels = self.labels(parameter.rdf_class)
        instances = {iri for things in labels.values() for iri in things}
        class_name = sparql_name(ox.NamedNode(parameter.rdf_class))
        if looks_like_iri(text):
            term = to_term(parameter, text)
            if isinstance(term, ox.NamedNode) and term.value in instances:
                return [term]
            raise QueryError(
                f"parameter {parameter.name!r}: {text} is not a {class_name} in the graph"
                f"{self._closest(labels, _local_name(expand_iri(text)))}"
            )
        things = labels.get(match_key(text), {})
        if len(things) == 1:
            return [ox.NamedNode(next(iter(things)))]
        if things:
            listed = "; ".join(f"{sparql_name(ox.NamedNode(iri))} ({name})" for iri, name in sorted(things.items()))
            raise QueryError(
                f"parameter {parameter.name!r}: {text!r} names {len(things)} things: {listed}; give one of these IRIs"
            )
        raise QueryError(
            f"parameter {parameter.name!r}: no {class_name} is called {text!r}{self._closest(labels, text)}"
        )

    @staticmethod
    def _closest(labels: dict[str, dict[str, str]], text: str, limit: int = 5) -> str:
        from rapidfuzz import fuzz, process

        matches = process.extract(match_key(text), list(labels), scorer=fuzz.WRatio, limit=limit * 3)
        shown: dict[str, str] = {}
        for key, _score, _ in matches:
            for iri, name in sorted(labels[key].items()):
                if iri not in shown and len(shown) < limit:
                    shown[iri] = f"{sparql_name(ox.NamedNode(iri))} ({name})"
        return f"; did you mean: {', '.join(shown.values())}" if shown else ""

    def resolve_papers(self, text: str, name: str = "paper") -> list[str]:
        """Paper IRIs for an IRI, identifier, link, title words or method name: every paper an identifier or an
        exact title or method name gives, else every paper whose title or method name contains the words, else
        the closest paper when it is within a typo or two; QueryError listing the closest papers otherwise."""
        index = self.papers
        if looks_like_iri(text) and index.is_paper(iri := expand_iri(text)):
            return [iri]
        by_id = index.by_identifier(text)
        if by_id:
            return [hit.paper for hit in by_id]
        if by_id is not None:
            from recsys_kg.query.search import describe_identifier

            raise QueryError(
                f"parameter {name!r}: no paper in the graph has {describe_identifier(text)} (try its "
                "title or method name)"
            )
        exact = index.names.get(normalize_title(text))
        if exact:
            return sorted(exact)  # a method name several papers use: all of them (and not every name containing it)
        contained = index.contains(text)
        if contained:
            return contained
        ranked = index.by_name(text, limit=5)
        if ranked and ranked[0].score >= FUZZY_ACCEPT:
            return [hit.paper for hit in ranked if hit.score == ranked[0].score]
        raise QueryError(f"parameter {name!r}: no paper matches {text!r}{_hits(ranked)}")


def _hits(hits: list[Hit]) -> str:
    if not hits:
        return ""
    listed = "; ".join(f"{sparql_name(ox.NamedNode(h.paper))} {h.title!r} (score {h.score:g})" for h in hits)
    return f"; closest: {listed}"
