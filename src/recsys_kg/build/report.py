"""The build report: per source, what was read, mapped and rejected (with reasons); what was resolved;
counts of what the graph holds; every warning. JSON for machines, a short text summary for people.

The report holds no timestamps or paths outside the project, so it is byte-identical across rebuilds.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pyoxigraph as ox

from recsys_kg.build.result import BuildResult
from recsys_kg.ingest.census import census
from recsys_kg.ingest.pedigree import version_of
from recsys_kg.rdf.graphs import GRAPH_BASE, ID_BASE, ONTOLOGY
from recsys_kg.rdf.terms import RDF_TYPE, rkg
from recsys_kg.resolve.papers import Resolution

COUNTED_CLASSES = (
    "Paper",
    "Survey",
    "Method",
    "BackboneUsage",
    "LanguageModel",
    "ModelFamily",
    "Venue",
    "Company",
    "ResearchInstitution",
    "TaxonomyConcept",
    "FacetValue",
    "Dataset",
    "Benchmark",
    "CodeRepository",
    "Entry",
    "Authorship",
)


def _class_counts(build: BuildResult) -> dict[str, int]:
    wanted = {rkg(name): name for name in COUNTED_CLASSES}
    wanted[rkg("TableRowEntry")] = wanted[rkg("ListItemEntry")] = wanted[rkg("PageBlockEntry")] = "Entry"
    members: dict[str, set[str]] = {name: set() for name in COUNTED_CLASSES}
    for graph, quads in build.quads.with_predicate(RDF_TYPE):
        if graph != ONTOLOGY:
            for quad in quads:
                name = wanted.get(quad.object) if isinstance(quad.object, ox.NamedNode) else None
                if name is not None:  # subjects as text: sets of strings stay fast at millions of members
                    members[name].add(str(quad.subject))
    return {name: len(subjects) for name, subjects in members.items()}


def warning_kind(message: str) -> str:
    """A warning's kind for counting: its first clause with quoted values elided."""
    return re.sub(r"'[^']*'", "'…'", message.split(": ")[0])


def shared_method_names(build: BuildResult) -> dict[str, list[str]]:
    """Method names used by more than one paper: {name: [paper IRIs]}. Each is a distinct method node."""
    proposed_in, label = rkg("proposedIn"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    names: dict[ox.NamedNode | ox.BlankNode | ox.Triple, str] = {}
    papers: dict[ox.NamedNode | ox.BlankNode | ox.Triple, str] = {}
    for _graph, quads in build.quads.with_predicate(proposed_in):
        for quad in quads:
            if not isinstance(quad.object, ox.Triple):
                papers[quad.subject] = quad.object.value
    for _graph, quads in build.quads.with_predicate(label):
        for quad in quads:
            subject = quad.subject
            if isinstance(subject, ox.NamedNode) and subject.value.startswith(ID_BASE + "method/"):
                if not isinstance(quad.object, ox.Triple):
                    names[subject] = quad.object.value
    by_name: dict[str, set[str]] = {}
    for method, paper in papers.items():
        by_name.setdefault(names.get(method, "").casefold(), set()).add(paper)
    return {name: sorted(p) for name, p in sorted(by_name.items()) if len(p) > 1}


def build_report(build: BuildResult, resolution: Resolution) -> dict:
    warnings_by_source = Counter(w.source for w in build.warnings)
    sources = {}
    for result in build.sources:
        cross = resolution.cross_list.get(result.spec.id, {})
        sources[result.spec.id] = {
            "file": result.spec.file,
            "reader": result.spec.reader,
            "entries_mapped": len(result.entries),
            "rejected": len(result.rejections),
            "rows_and_items_accounted": len(result.entries) + len(result.rejections),
            "resolved_to_papers_in_other_lists": cross.get("resolved_to_papers_in_other_lists", 0),
            "warnings": warnings_by_source.get(result.spec.id, 0),
            "rejections": [{"line": r.line, "reason": r.reason, "raw": r.raw} for r in result.rejections],
        }
        if result.spec.sha256:  # a list of the manifest (checked by ingest/pedigree.py): which version was built
            sources[result.spec.id].update(
                upstream=result.spec.upstream, version=version_of(result.spec), sha256=result.spec.sha256
            )
        if result.document is not None:
            sources[result.spec.id]["fidelity"] = census(result.document, result.entries, result.rejections)
    rule_counts = Counter(warning_kind(w.message) for w in build.warnings)
    return {
        "sources": sources,
        "counts": {**_class_counts(build), "quads": len(build.quads)},
        "quads_by_graph": {
            g.removeprefix(GRAPH_BASE) or "(default)": n for g, n in build.quads.count_by_graph().items()
        },
        "resolution": {
            "distinct_papers": len(resolution.papers),
            "merges": [{"paper": k, "reason": why, "detail": detail} for k, why, detail in resolution.merges],
            "candidates": [
                {
                    "left": c.left,
                    "right": c.right,
                    "score": round(c.score, 1),
                    "reasons": list(c.reasons),
                    "left_titles": list(c.left_titles),
                    "right_titles": list(c.right_titles),
                }
                for c in resolution.candidates
            ],
            "stale_decisions": list(resolution.stale_decisions),
            "shared_method_names": shared_method_names(build),
        },
        "warnings": [
            {"source": w.source, "line": w.line, "field": w.field, "message": w.message}
            for w in sorted(build.warnings, key=lambda w: (w.source, w.line, w.field, w.message))
        ],
        "warning_counts": dict(sorted(rule_counts.items())),
        "validation": build.validation.summary() if build.validation is not None else None,
    }


def report_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def report_text(report: dict) -> str:
    """The short human summary, also printed at the end of `recsys-kg build`."""
    lines = [
        "recsys-kg build report",
        "",
        "Sources (entries mapped / rejected / resolved to papers other lists have / warnings):",
    ]
    for sid, s in report["sources"].items():
        lines.append(
            f"  {sid:24} {s['entries_mapped']:5} / {s['rejected']:3} / {s['resolved_to_papers_in_other_lists']:4} / {s['warnings']:3}   {s['file']}"
        )
    built = [(sid, s) for sid, s in report["sources"].items() if s.get("sha256")]
    if built:
        lines += ["", "Versions built (data/sources/manifest.yaml):"]
        lines += [
            f"  {sid:24} {s['version']:20} sha256 {s['sha256'][:12]}  {s['upstream'] or '(upstream not recorded)'}"
            for sid, s in built
        ]
    lines += [
        "",
        "Fidelity (headings seen / concepts made, rows and items seen / entries made / rejected, cells kept "
        "verbatim / cells, texts repaired by kind):",
    ]
    for sid, s in report["sources"].items():
        f = s.get("fidelity")
        if f:
            repaired = ", ".join(f"{kind} {n}" for kind, n in f["texts_repaired"].items()) or "none"
            lines.append(
                f"  {sid:24} headings {f['headings_seen']} / {f['concepts_made']}, "
                f"rows {f['rows_and_items_seen']} / {f['entries_made']} / {f['rows_rejected']}, "
                f"cells {f['cells_kept_verbatim']} / {f['cells']}, repaired: {repaired}"
            )
    counts = report["counts"]
    lines += ["", "Graph: " + ", ".join(f"{n} {k}" for k, n in counts.items())]
    lines += ["", "Quads per named graph:"] + [f"  {g:40} {n:6}" for g, n in report["quads_by_graph"].items()]
    res = report["resolution"]
    lines += [
        "",
        f"Resolution: {res['distinct_papers']} distinct papers, {len(res['merges'])} cross-entry merges, "
        f"{len(res['candidates'])} duplicate candidates, {len(res['stale_decisions'])} stale curated decisions",
    ]
    shared = res["shared_method_names"]
    if shared:
        lines.append(f"  method names shared by several papers (kept as distinct methods): {', '.join(sorted(shared))}")
    for stale in res["stale_decisions"]:
        lines.append(f"  STALE {stale}")
    rejected = [(sid, r) for sid, s in report["sources"].items() for r in s["rejections"]]
    if rejected:
        lines += ["", "Rejected rows and items:"] + [f"  {sid}:{r['line']}: {r['reason']}" for sid, r in rejected]
    if report["warning_counts"]:
        lines += ["", "Warnings by kind:"] + [f"  {n:4}  {k}" for k, n in report["warning_counts"].items()]
    if report.get("validation"):
        shacl = report["validation"]
        lines += [
            "",
            "SHACL validation (shapes/, `recsys-kg validate` for every result): "
            + ", ".join(f"{n} {k}" for k, n in shacl["counts"].items()),
        ]
        lines += [f"  {r['count']:4}  {rule} ({r['severity']})" for rule, r in shacl["counts_by_rule"].items()]
    return "\n".join(lines) + "\n"
