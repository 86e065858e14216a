"""Validation results a person can act on: pyshacl's report graph turned into sorted, rendered result records.

Each result keeps what the SHACL validation report says (focus node, path, value, severity, constraint component,
source shape; SHACL §3.6) plus the rule id of its shape (``rkgsh:ruleId``) and where to fix it (file and line). Messages
are templates (`{$this}`, `{?value}`, `{$path}`, other SPARQL variables); they are rendered here with compact
terms (``id:paper/arxiv-2305.19860``, ``"2024"^^xsd:gYear``) for every constraint kind alike.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, XSD

from recsys_kg.rdf.namespaces import SH, SH_RKG, compact_iri

SEVERITIES = ("Violation", "Warning", "Info")
SKOLEM_BASE = "https://w3id.org/recsys-kg/.well-known/genid/"
_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")
# Longest namespace first, so ``…/id/`` wins over ``…/recsys-kg/`` style overlaps.


@dataclass(frozen=True)
class Result:
    """One validation result. ``focus`` and ``value`` are RDF terms; ``path`` is rendered (``^rkg:p``, ``a/b``)."""

    severity: str
    rule: str
    focus: URIRef | BNode
    path: str
    value: URIRef | BNode | Literal | None
    message: str
    component: str
    shape: str
    shape_node: URIRef | BNode | None = field(default=None, compare=False, repr=False)
    file: str | None = None
    line: int | None = None

    def sort_key(self) -> tuple:
        rank = SEVERITIES.index(self.severity) if self.severity in SEVERITIES else -1  # custom severities first
        return (
            rank,
            self.severity,
            self.rule,
            self.file or "",
            self.line or 0,
            str(self.focus),
            self.path,
            "" if self.value is None else str(self.value),
        )

    def location(self) -> str:
        if not self.file:
            return "-"
        return f"{self.file}:{self.line}" if self.line else self.file

    def text_line(self) -> str:
        """``SEVERITY rule-id file[:line] focus path: message``; ``-`` stands for an absent file or path."""
        return f"{self.severity.upper()} {self.rule} {self.location()} {compact(self.focus)} {self.path or '-'}: {self.message}"

    def as_json(self) -> dict:
        return {
            "severity": self.severity,
            "rule": self.rule,
            "file": self.file,
            "line": self.line,
            "focus": term_text(self.focus),
            "path": self.path or None,
            "value": None if self.value is None else term_text(self.value),
            "message": self.message,
            "constraint": self.component,
            "shape": self.shape,
        }


@dataclass
class ValidationReport:
    """All results of one validation run, sorted. ``conforms`` is SHACL's (§3.1: no results at all, whatever their
    severity); whether the run fails the build or a contribution is :meth:`fails`."""

    results: list[Result] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.results

    def fails(self, strict: bool = False) -> bool:
        """Violations fail, and so do custom severities (unknown to the project: failing is the safe reading);
        warnings fail only when asked (``--strict``); infos never fail."""
        return any(r.severity not in ("Warning", "Info") or (strict and r.severity == "Warning") for r in self.results)

    def counts(self) -> dict[str, int]:
        counted = Counter(r.severity for r in self.results)
        return {severity: counted.get(severity, 0) for severity in SEVERITIES}

    def counts_by_rule(self) -> dict[str, dict]:
        """``{rule: {"severity": …, "count": n}}``, sorted by rule id."""
        counted = Counter((r.rule, r.severity) for r in self.results)
        return {rule: {"severity": severity, "count": n} for (rule, severity), n in sorted(counted.items())}

    def of_severity(self, *severities: str) -> list[Result]:
        return [r for r in self.results if r.severity in severities]

    def summary(self) -> dict:
        """For the build report: counts per severity and per rule, and every violation and warning (infos are
        only counted: they are enrichment, listed by `recsys-kg validate`)."""
        # "conforms" here has always meant "no violations" (the build's verdict); kept so reports stay comparable.
        return {
            "conforms": not self.fails(),
            "counts": self.counts(),
            "counts_by_rule": self.counts_by_rule(),
            "results": [r.as_json() for r in self.of_severity("Violation", "Warning")],
        }


def compact(term) -> str:
    """A short, readable form of a term: prefixed IRIs, ``_:b1`` for skolemized blank nodes, literals with type."""
    if isinstance(term, Literal):
        return literal_text(term)
    text = str(term)
    if isinstance(term, BNode):
        return "_:" + text
    if text.startswith(SKOLEM_BASE):
        return "_:" + text[len(SKOLEM_BASE) :]
    return compact_iri(text, skip=()) or f"<{text}>"


def literal_text(literal: Literal) -> str:
    quoted = '"' + str(literal).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if literal.language:
        return f"{quoted}@{literal.language}"
    if literal.datatype and literal.datatype != XSD.string:
        return f"{quoted}^^{compact(literal.datatype)}"
    return quoted


def term_text(term) -> str:
    """Full, unambiguous text for machines (JSON): IRIs whole, literals in N-Triples form."""
    if isinstance(term, Literal):
        return term.n3()
    if isinstance(term, BNode) or str(term).startswith(SKOLEM_BASE):
        return compact(term)
    return str(term)


def render_path(report: Graph, path) -> str:
    """SHACL property paths (§2.3.1) as SPARQL-like text: ``rkg:p``, ``^rkg:p``, ``rkg:a/rkg:b``, ``rkg:a*`` …"""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return compact(path)
    if (path, RDF.first, None) in report:
        return "/".join(render_path(report, step) for step in Collection(report, path))
    for predicate, template in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "({})*"),
        (SH.oneOrMorePath, "({})+"),
        (SH.zeroOrOnePath, "({})?"),
    ):
        inner = report.value(path, predicate)
        if inner is not None:
            return template.format(render_path(report, inner))
    alternatives = report.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(render_path(report, step) for step in Collection(report, alternatives)) + ")"
    return str(path)


def _template_values(template: str, rendered: str) -> dict[str, str]:
    """The values pyshacl put in for a SPARQL constraint's variables, recovered by matching its message template."""
    pattern, seen = [], set()
    for i, part in enumerate(_PLACEHOLDER.split(template)):
        if i % 2 == 0:
            pattern.append(re.escape(part))
        else:
            pattern.append(f"(?P={part})" if part in seen else f"(?P<{part}>.*?)")
            seen.add(part)
    match = re.fullmatch("".join(pattern), rendered, re.DOTALL)
    return match.groupdict() if match else {}


def render_message(template: str, focus, path: str, value, found: dict[str, str]) -> str:
    """The message with every placeholder filled with compact terms: ``{$this}``, ``{$path}``, ``{?value}`` from
    the result, other variables of SPARQL constraints from ``found`` (IRIs there are shortened here)."""
    known = {"this": compact(focus), "path": path or "-", "value": "-" if value is None else compact(value)}

    def fill(match: re.Match) -> str:
        name = match.group(1)
        if name in known and (name != "value" or value is not None or name not in found):
            return known[name]
        text = found.get(name, match.group(0))
        return compact(URIRef(text)) if text.startswith(("http://", "https://")) else text

    return _PLACEHOLDER.sub(fill, template)


def _local_name(term) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def results_from_report(report: Graph, shapes: Graph) -> list[Result]:
    """Every result (sh:result) of a pyshacl report graph as a Result (not yet located, not yet sorted)."""
    results = []
    for node in report.objects(None, SH.result):  # not the sh:detail results pySHACL nests under them
        focus: Any = report.value(node, SH.focusNode)
        value: Any = report.value(node, SH.value)
        path = render_path(report, report.value(node, SH.resultPath))
        shape: Any = report.value(node, SH.sourceShape)
        constraint = report.value(node, SH.sourceConstraint)
        pyshacl_message = str(report.value(node, SH.resultMessage) or "")
        template = str(shapes.value(constraint, SH.message) or shapes.value(shape, SH.message) or pyshacl_message)
        # pySHACL fills SPARQL variables with full IRIs and leaves core constraints' placeholders alone.
        found = _template_values(template, pyshacl_message) if template != pyshacl_message else {}
        rule = shapes.value(constraint, SH_RKG.ruleId) or shapes.value(shape, SH_RKG.ruleId)
        severity = report.value(node, SH.resultSeverity)
        results.append(
            Result(
                severity=_local_name(severity) if severity in (SH.Violation, SH.Warning, SH.Info) else str(severity),
                rule=str(rule) if rule is not None else "UNNAMED",
                focus=focus,
                path=path,
                value=value,
                message=render_message(template, focus, path, value, found),
                component=_local_name(report.value(node, SH.sourceConstraintComponent)),
                shape=compact(shape) if isinstance(shape, URIRef) else "[]",
                shape_node=shape,
            )
        )
    return results
