"""Checks a contribution must pass before its shape results mean anything (rule ids SANITY-001..003,
documented in shapes/README.md under "Pre-checks").

Why: the shapes only look at nodes they target (``rkg:`` classes and properties). A file whose nodes carry no
``rkg:`` type — a re-declared prefix, a mistyped namespace (``ontology/`` for ``ontology#``), JSON-LD with
``"@context": null`` — gives the shapes nothing to check, and an empty result would read as "conforms": the check
would fail open. So would a file that changes the rules themselves (``rkg:Paper rdfs:subClassOf owl:Nothing``):
a contribution describes papers, it does not add ontology axioms. These checks turn each case into a violation
with a rule id, so validation fails closed.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import OWL, RDFS

from recsys_kg.rdf.namespaces import BASE, PREFIXES, RKG, SH_RKG, compact_iri
from recsys_kg.shacl.report import Result
from recsys_kg.validate.input import Contribution

NO_TARGET, AXIOM, PREFIX = "SANITY-001", "SANITY-002", "SANITY-003"
# The project's own prefixes and the only namespaces under BASE a contribution may use.
PROJECT_PREFIXES = {name: str(ns) for name, ns in PREFIXES.items() if str(ns).startswith(BASE)}
PROJECT_NAMESPACES = tuple(sorted(set(PROJECT_PREFIXES.values()), key=len, reverse=True))
SCHEMA_PREDICATES = {str(p) for p in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range)}
ONTOLOGY_TERMS = (str(RKG), str(SH_RKG))
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _result(contribution: Contribution, rule: str, focus: str, path: str, line: int | None, message: str) -> Result:
    return Result(
        "Violation",
        rule,
        URIRef(focus),
        path,
        None,
        f"{rule}: {message}",
        "pre-check",
        "recsys_kg.validate.sanity",
        file=contribution.file,
        line=line,
    )


def _prefix_results(contribution: Contribution) -> list[Result]:
    results = []
    for prefix, iri, line in contribution.declarations:
        expected = PROJECT_PREFIXES.get(prefix)
        if expected is not None and iri != expected:
            message = (
                f"the prefix {prefix}: is bound to <{iri}>, not to the project's <{expected}>: use the "
                "project's prefixes as contributions/TEMPLATE.ttl declares them"
            )
        elif iri.startswith(BASE) and not iri.startswith(PROJECT_NAMESPACES):
            message = (
                f"<{iri}> is not a recsys-kg namespace (they are {', '.join(PROJECT_NAMESPACES)}): check "
                "the spelling (ontology# with a hash)"
            )
        else:
            continue
        results.append(_result(contribution, PREFIX, iri or BASE, "", line, message))
    return results


def _iri(term: object) -> str:
    """The IRI of a named node (skolemized blank nodes are named nodes too); "" for a literal or a quoted triple."""
    return term.value if isinstance(term, ox.NamedNode) else ""


def _axiom_results(contribution: Contribution) -> list[Result]:
    results = []
    for triple in contribution.triples:
        subject, predicate, object_iri = _iri(triple.subject), triple.predicate.value, _iri(triple.object)
        if (
            predicate in SCHEMA_PREDICATES
            or predicate.startswith(str(OWL))
            or object_iri.startswith(str(OWL))
            or subject.startswith(ONTOLOGY_TERMS)
        ):
            shown = compact_iri(predicate) or f"<{predicate}>"
            results.append(
                _result(
                    contribution,
                    AXIOM,
                    subject,
                    shown,
                    contribution.lines.get(subject),
                    f"{compact_iri(subject) or f'<{subject}>'} {shown} …: a contribution describes papers; it may "
                    "not add ontology axioms or describe ontology terms (propose ontology changes in an issue)",
                )
            )
    return results


def _target_results(contribution: Contribution) -> list[Result]:
    typed = any(t.predicate.value == RDF_TYPE and _iri(t.object).startswith(str(RKG)) for t in contribution.triples)
    if typed:
        return []
    first = _iri(contribution.triples[0].subject) or BASE
    return [
        _result(
            contribution,
            NO_TARGET,
            first,
            "",
            contribution.lines.get(first) or 1,
            "no node in the file has an rkg: type (a rkg:Paper, rkg:BackboneUsage, …), so no shape "
            f"applies to it: declare the prefix rkg: <{RKG}> and type your paper `a rkg:Paper`",
        )
    ]


def sanity_results(contribution: Contribution) -> list[Result]:
    """The pre-check violations of one contribution (none for a contribution the shapes can check)."""
    return _prefix_results(contribution) + _axiom_results(contribution) + _target_results(contribution)
