"""What changed between two versions of the graph (`recsys-kg diff OLD NEW`, the data changelog of a release).

Inputs are two built datasets or release dumps (``.nq``, ``.nq.gz``, ``.trig``, …). Only what the source lists
say is compared (the ``source/<id>`` graphs); the inferred, vocabulary and metadata graphs follow from them.

*Papers* are matched across versions by their IRI and by what identifies them (arXiv id, DOI, Semantic Scholar
and corpus ids, normalized title): papers linked that way form one group. A group with only new papers is
*added*, with only old ones *removed*; one old and one new paper under another IRI is *re-keyed* (the resolver
found a better identifier); several old papers in one new one *merged*, one old paper in several new ones
*split*.

*Claims* are what a list says about a paper: ``(source, property, value)``, with each backbone usage as
``backbone = <model> <strategy>…`` (usage nodes are named by line, which moves) and IRIs minted under a paper's
key (methods, authorships) written without the key. Per paper group, a claim only in the new version is added,
only in the old one removed; a property of one source that lost values and gained others is *changed*.

*Conflicts* are what ``queries/source-conflicts.rq`` reports (a test keeps both equal): a title (ignoring case),
year, venue or tuning strategy (by top concept, Unknown aside) stated differently by two lists. A conflict is
keyed by paper group and field; new ones and resolved ones are listed.

Memory: only the statements about papers and backbone usages of the source graphs are kept, as strings, read as
the file is parsed (a 100x dump is never held as quads).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from recsys_kg.normalize.identifiers import normalize_title
from recsys_kg.rdf.dataset import iter_subjects
from recsys_kg.rdf.graphs import GRAPH_BASE, ID_BASE, ONTOLOGY

SOURCE_GRAPH = GRAPH_BASE + "source/"
PAPER = ID_BASE + "paper/"
USAGE = ID_BASE + "usage/"
_KEYED = (ID_BASE + "method/", ID_BASE + "authorship/")  # IRIs minted under a paper's key
RKG = "https://w3id.org/recsys-kg/ontology#"
DCTERMS = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
TITLE, YEAR, VENUE = DCTERMS + "title", RKG + "year", RKG + "publishedIn"
HAS_USAGE, USES_MODEL, STRATEGY = RKG + "hasBackboneUsage", RKG + "usesModel", RKG + "tuningStrategy"
IDENTIFYING = {
    RKG + "arxivId": "arxiv",
    RKG + "doi": "doi",
    RKG + "semanticScholarId": "s2",
    RKG + "corpusId": "corpus",
}
# Not claims: provenance, and the identifiers' IRI forms (mapping/identifier_iris.py), which restate rkg:arxivId,
# rkg:doi and rkg:semanticScholarId and would count every identifier change three times.
_SKIPPED = {
    HAS_USAGE,
    RKG + "hasCell",
    RKG + "rawText",
    RKG + "statedIn",
    "https://dblp.org/rdf/schema#doi",
    "https://schema.org/sameAs",
}
TUNING_SCHEME = ID_BASE + "scheme/tuning-strategies"
UNKNOWN_STRATEGY = ID_BASE + "tuning/unknown"
BACKBONE = "backbone"
FIELDS = ("title", "year", "venue", "tuning strategy")


@dataclass
class Version:
    """What one dataset's lists say about papers: claims per paper, identifiers, titles, usages, strategies."""

    claims: dict[str, set[tuple[str, str, str]]] = field(
        default_factory=lambda: defaultdict(set)
    )  # paper -> {(source, property, value)}
    ids: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # paper -> {'arxiv:…', 'title:…'}
    titles: dict[str, str] = field(default_factory=dict)  # paper -> a title (the least in code-point order)
    usages: dict[str, tuple[str, str]] = field(default_factory=dict)  # usage -> (source, paper)
    paper_usages: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # paper -> its usages
    usage_models: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    usage_strategies: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    broader: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # tuning strategy -> broader
    tops: set[str] = field(default_factory=set)  # top concepts of the tuning-strategy scheme


def _texts(quad: ox.Quad) -> tuple[str, str, str, str]:
    """Subject, predicate, object and graph of a quad as text ('' for a blank subject or the default graph)."""
    s, o, g = quad.subject, quad.object, quad.graph_name
    return (
        s.value if isinstance(s, ox.NamedNode) else "",
        quad.predicate.value,
        o.value if isinstance(o, (ox.NamedNode, ox.BlankNode, ox.Literal)) else "",
        g.value if isinstance(g, ox.NamedNode) else "",
    )


def read_version(path: Path) -> Version:
    """Read the claims of a dataset (raises DatasetError, from rdf/dataset.py, for what cannot be read)."""
    version = Version()
    ontology = ONTOLOGY.value
    for quad in iter_subjects(path, (PAPER, USAGE, ID_BASE + "tuning/")):
        subject, predicate, value, graph = _texts(quad)
        if graph == ontology:
            if predicate == SKOS + "broader":
                version.broader[subject].add(value)
            elif predicate == SKOS + "topConceptOf" and value == TUNING_SCHEME:
                version.tops.add(subject)
            continue
        if not graph.startswith(SOURCE_GRAPH):
            continue
        source = graph[len(SOURCE_GRAPH) :]
        if subject.startswith(PAPER):
            if predicate == HAS_USAGE:
                version.usages[value] = (source, subject)
                continue
            if predicate in _SKIPPED:
                continue
            if value.startswith(_KEYED):
                value = _without_key(value)
            version.claims[subject].add((source, predicate, value))
            if predicate in IDENTIFYING:
                version.ids[subject].add(f"{IDENTIFYING[predicate]}:{value.lower()}")
            elif predicate == TITLE:
                if subject not in version.titles or value < version.titles[subject]:
                    version.titles[subject] = value
        elif subject.startswith(USAGE):
            if predicate == USES_MODEL:
                version.usage_models[subject].append(value)
            elif predicate == STRATEGY:
                version.usage_strategies[subject].append(value)
    for usage, (source, paper) in version.usages.items():
        version.paper_usages[paper].append(usage)
        described = " ".join(
            sorted(version.usage_models.get(usage, ())) + sorted(version.usage_strategies.get(usage, ()))
        )
        version.claims[paper].add((source, BACKBONE, described))
    for paper in version.claims:
        version.ids[paper].add("iri:" + paper)
        for _source, predicate, value in version.claims[paper]:
            if predicate == TITLE and (key := normalize_title(value)):
                version.ids[paper].add("title:" + key)
    return version


def _without_key(iri: str) -> str:
    """``…/method/<paper key>/<slug>`` -> ``…/method/<slug>``: the same method under a re-keyed paper."""
    kind, _, rest = iri[len(ID_BASE) :].partition("/")
    return ID_BASE + kind + "/" + rest.partition("/")[2]


# --- matching papers --------------------------------------------------------------------------------------------


def paper_groups(old: Version, new: Version) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(old papers, new papers) of every group of papers linked by an IRI or identifier, in a stable order."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[str, str] = {}
    for side, version in (("old", old), ("new", new)):
        for paper, ids in version.ids.items():
            node = f"{side} {paper}"
            find(node)
            for identifier in ids:
                if identifier in owner:
                    parent[find(node)] = find(owner[identifier])
                else:
                    owner[identifier] = node
    members: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for node in parent:
        side, paper = node.split(" ", 1)
        members[find(node)][0 if side == "old" else 1].append(paper)
    groups = [(tuple(sorted(o)), tuple(sorted(n))) for o, n in members.values()]
    return sorted(groups, key=lambda g: g[1] or g[0])


def group_kind(olds: tuple[str, ...], news: tuple[str, ...]) -> str:
    if not olds:
        return "added"
    if not news:
        return "removed"
    if len(olds) == 1 and len(news) == 1:
        return "same" if olds == news else "re-keyed"
    if len(news) == 1:
        return "merged"
    if len(olds) == 1:
        return "split"
    return "merged and split"


# --- conflicts --------------------------------------------------------------------------------------------------


def _top(strategy: str, version: Version) -> str | None:
    """The top concept of the tuning-strategy scheme above a strategy (itself for a top concept)."""
    seen, todo = set(), [strategy]
    while todo:
        current = todo.pop()
        if current in version.tops:
            return current
        if current not in seen:
            seen.add(current)
            todo += sorted(version.broader.get(current, ()))
    return None


def conflicts(version: Version, papers: set[str]) -> dict[str, set[tuple[str, str]]]:
    """{field: {(source, value)}} of the fields the lists disagree on, over the claims of ``papers``."""
    stated: dict[str, dict[str, set[str]]] = {f: defaultdict(set) for f in FIELDS}
    usage_tops: dict[str, set[str]] = defaultdict(set)  # source -> top concepts of its usages
    usage_values: dict[str, set[str]] = defaultdict(set)  # source -> strategies of its usages
    for paper in papers:
        for source, predicate, value in version.claims.get(paper, ()):
            if predicate == TITLE:
                stated["title"][source].add(value)
            elif predicate == YEAR:
                stated["year"][source].add(value)
            elif predicate == VENUE:
                stated["venue"][source].add(value)
    for usage in (u for paper in papers for u in version.paper_usages.get(paper, ())):
        source = version.usages[usage][0]
        for strategy in version.usage_strategies.get(usage, ()):
            usage_values[source].add(strategy)
            top = _top(strategy, version)
            if top and top != UNKNOWN_STRATEGY:
                usage_tops[source].add(top)
    found: dict[str, set[tuple[str, str]]] = {}
    for name, compare in (("title", str.lower), ("year", str), ("venue", str)):
        by_source = stated[name]
        if _disagree({s: {compare(v) for v in values} for s, values in by_source.items()}):
            found[name] = {(s, v) for s, values in by_source.items() for v in values}
    if _disagree(usage_tops):
        found["tuning strategy"] = {(s, v) for s, values in usage_values.items() for v in values}
    return found


def _disagree(by_source: dict[str, set[str]]) -> bool:
    """Two statements from different sources with different values: more than one source and more than one
    value (then some value of one source differs from some value of another)."""
    stating = [values for values in by_source.values() if values]
    return len(stating) > 1 and len(set().union(*stating)) > 1


# --- the diff ---------------------------------------------------------------------------------------------------


def diff(old: Version, new: Version) -> dict:
    """The changes from ``old`` to ``new`` as plain data (what the JSON output is)."""
    papers: dict[str, list] = {k: [] for k in ("added", "removed", "re-keyed", "merged", "split", "merged and split")}
    per_paper: list[dict] = []
    per_source: dict[str, dict[str, int]] = defaultdict(lambda: {"added": 0, "removed": 0, "changed": 0})
    new_conflicts, resolved_conflicts = [], []
    groups = paper_groups(old, new)
    # an old paper's IRI as a claim's value (a citation) reads as its new IRI: a re-keyed paper is no change
    renamed = {o: news[0] for olds, news in groups if news for o in olds if o not in news}
    for olds, news in groups:
        kind = group_kind(olds, news)
        title = next((v.titles[p] for v, ps in ((new, news), (old, olds)) for p in ps if p in v.titles), "")
        if kind != "same":
            papers[kind].append({"old": list(olds), "new": list(news), "title": title})
        before = {
            (source, predicate, renamed.get(value, value))
            for p in olds
            for source, predicate, value in old.claims.get(p, ())
        }
        after = set().union(*(new.claims.get(p, set()) for p in news)) if news else set()
        changes = _claim_changes(before, after)
        if changes and kind not in ("added", "removed"):
            per_paper.append({"papers": list(news or olds), "title": title, **changes})
        for change, items in changes.items():
            for item in items:
                per_source[item["source"]][change] += 1
        if kind in ("added", "removed"):
            continue
        was, now = conflicts(old, set(olds)), conflicts(new, set(news))
        for name in FIELDS:
            if name in now and name not in was:
                new_conflicts.append({"papers": list(news), "title": title, "field": name, "values": _pairs(now[name])})
            elif name in was and name not in now:
                resolved_conflicts.append(
                    {"papers": list(news), "title": title, "field": name, "values": _pairs(was[name])}
                )
    for kind, found in (("added", new), ("removed", old)):  # a paper new or gone with its conflicts
        for group in papers[kind]:
            for name, values in conflicts(found, set(group["new"] or group["old"])).items():
                target = new_conflicts if kind == "added" else resolved_conflicts
                target.append(
                    {
                        "papers": group["new"] or group["old"],
                        "title": group["title"],
                        "field": name,
                        "values": _pairs(values),
                    }
                )
    summary = {f"papers {k}": len(v) for k, v in papers.items()}
    summary.update({f"claims {c}": sum(s[c] for s in per_source.values()) for c in ("added", "removed", "changed")})
    summary.update({"conflicts new": len(new_conflicts), "conflicts resolved": len(resolved_conflicts)})
    return {
        "summary": summary,
        "papers": papers,
        "claims": {"per_source": dict(sorted(per_source.items())), "per_paper": per_paper},
        "conflicts": {"new": new_conflicts, "resolved": resolved_conflicts},
    }


def _pairs(values: set[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"source": s, "value": v} for s, v in sorted(values)]


def _claim_changes(before: set[tuple[str, str, str]], after: set[tuple[str, str, str]]) -> dict[str, list]:
    """Added, removed and changed claims; a (source, property) that lost and gained values is one change."""
    gone, came = before - after, after - before
    lost, gained = defaultdict(list), defaultdict(list)
    for source, predicate, value in gone:
        lost[(source, predicate)].append(value)
    for source, predicate, value in came:
        gained[(source, predicate)].append(value)
    changes: dict[str, list] = {}
    for key in sorted(set(lost) | set(gained)):
        source, predicate = key
        if key in lost and key in gained:
            changes.setdefault("changed", []).append(
                {"source": source, "property": predicate, "old": sorted(lost[key]), "new": sorted(gained[key])}
            )
        elif key in gained:
            changes.setdefault("added", []).extend(
                {"source": source, "property": predicate, "value": v} for v in sorted(gained[key])
            )
        else:
            changes.setdefault("removed", []).extend(
                {"source": source, "property": predicate, "value": v} for v in sorted(lost[key])
            )
    return changes


def diff_files(old_path: Path, new_path: Path) -> dict:
    return diff(read_version(old_path), read_version(new_path))


# --- output -----------------------------------------------------------------------------------------------------


def to_json(changes: dict) -> str:
    return json.dumps(changes, ensure_ascii=False, indent=2) + "\n"


def _short(iri: str) -> str:
    for prefix, short in ((ID_BASE, "id:"), (RKG, "rkg:"), (DCTERMS, "dcterms:")):
        if iri.startswith(prefix):
            return short + iri[len(prefix) :]
    return iri


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(changes: dict, old_name: str = "old", new_name: str = "new") -> str:
    """For a pull-request comment or a release's data changelog: the summary, then every change."""
    out = [f"## Data changes from `{old_name}` to `{new_name}`", "", "| change | count |", "|---|---:|"]
    out += [f"| {name} | {n} |" for name, n in changes["summary"].items()]
    for kind, groups in changes["papers"].items():
        if groups:
            out += ["", f"### Papers {kind} ({len(groups)})", ""]
            for g in groups:
                arrow = ", ".join(map(_short, g["old"])) + " → " if g["old"] and g["new"] else ""
                out.append(f"- {arrow}{', '.join(map(_short, g['new'] or g['old']))}: {_cell(g['title'])}")
    if changes["claims"]["per_source"]:
        out += ["", "### Claims per source", "", "| source | added | removed | changed |", "|---|---:|---:|---:|"]
        out += [
            f"| {s} | {c['added']} | {c['removed']} | {c['changed']} |"
            for s, c in changes["claims"]["per_source"].items()
        ]
    if changes["claims"]["per_paper"]:
        out += ["", "### Claims per paper", ""]
        for p in changes["claims"]["per_paper"]:
            out.append(f"- {', '.join(map(_short, p['papers']))} ({_cell(p['title'])})")
            for item in p.get("added", []):
                out.append(f"  - added by {item['source']}: {_short(item['property'])} {_cell(_short(item['value']))}")
            for item in p.get("removed", []):
                out.append(
                    f"  - removed by {item['source']}: {_short(item['property'])} {_cell(_short(item['value']))}"
                )
            for item in p.get("changed", []):
                out.append(
                    f"  - changed by {item['source']}: {_short(item['property'])} "
                    f"{_cell(', '.join(map(_short, item['old'])))} → {_cell(', '.join(map(_short, item['new'])))}"
                )
    for kind in ("new", "resolved"):
        found = changes["conflicts"][kind]
        if found:
            out += ["", f"### Conflicts {kind} ({len(found)})", ""]
            for c in found:
                values = "; ".join(f"{v['source']}: {_short(v['value'])}" for v in c["values"])
                out.append(f"- {', '.join(map(_short, c['papers']))} {c['field']}: {_cell(values)}")
    return "\n".join(out) + "\n"
