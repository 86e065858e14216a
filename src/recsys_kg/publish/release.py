"""`recsys-kg release`: the files of one versioned release of the graph, ready to attach to a tag and deposit.

Written as one all-or-nothing set (outputs.py) into the release directory:

- ``recsys-kg-<version>.nq.gz``: the whole dataset (every named graph) as the build wrote it;
- ``recsys-kg-<version>.<graph>.ttl.gz``: one Turtle file per named graph (``source-llm4rec-zh``, ``inferred``…);
- ``recsys-kg-<version>.void.ttl``: VoID + DCAT metadata: version, dcterms:modified, creator, licence of the
  whole and per source, void:dataDump and one dcat:Distribution per file, triples per graph, and
  void:sparqlEndpoint when the release is served;
- ``CHANGES-DATA.md``: the data changelog, `recsys-kg diff` from the previous release to this one;
- ``DATA-LICENSE.md``: the data licence statement, copied from the checkout;
- ``SHA256SUMS``: checksums of every other file, in ``sha256sum -c`` format.

Deterministic: the same dataset, version, date and previous release give byte-identical files (gzip with
mtime 0 and no file name; Turtle from sorted triples; no timestamps but the release date given).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from recsys_kg.outputs import output_set
from recsys_kg.publish.diff import diff_files, to_markdown
from recsys_kg.publish.release_check import check_metadata
from recsys_kg.rdf import terms as T
from recsys_kg.rdf.dataset import DatasetError, iter_dataset
from recsys_kg.rdf.graphs import GRAPH_BASE, ID_BASE, METADATA
from recsys_kg.rdf.namespaces import PREFIXES

VERSION = re.compile(r"^\d+\.\d+\.\d+$")
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
FOAF = "http://xmlns.com/foaf/0.1/"
DATA_LICENCE = "https://creativecommons.org/licenses/by/4.0/"  # recsys-kg's own work on the data: DATA-LICENSE.md
DATA_LICENCE_FILE = "DATA-LICENSE.md"
CHANGELOG = "CHANGES-DATA.md"
SUMS = "SHA256SUMS"
_GZIP_LEVEL = 9


class ReleaseError(Exception):
    """A release that cannot be made: a bad version or date, a missing dataset or previous release."""


class ReleaseMetadataError(Exception):
    """The release's metadata does not conform to the release-metadata shape: ``lines`` say why."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class ReleaseSpec:
    version: str
    date: str  # YYYY-MM-DD, becomes dcterms:modified and dcterms:issued
    base_url: str  # where the files will be downloadable (void:dataDump, dcat:downloadURL)
    endpoint: str | None = None  # a SPARQL endpoint serving this release
    licences: tuple[tuple[str, str | None, str], ...] = ()  # (source id, licence IRI or None, rights statement)


def gzipped(data: bytes) -> bytes:
    """gzip bytes that depend only on ``data``: no file name, modification time 0."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=_GZIP_LEVEL) as handle:
        handle.write(data)
    return buffer.getvalue()


def graph_slug(graph: str) -> str:
    """``https://w3id.org/recsys-kg/graph/source/llm4rec-zh`` -> ``source-llm4rec-zh``."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", graph.removeprefix(GRAPH_BASE)).strip("-") or "default"


def _bytes(serialized: bytes | None) -> bytes:
    """pyoxigraph's serialize returns the bytes when given no output file."""
    assert serialized is not None
    return serialized


def _by_graph(quads: list[ox.Quad]) -> dict[str, list[ox.Triple]]:
    graphs: dict[str, list[ox.Triple]] = {}
    for q in quads:
        graphs.setdefault(q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "", []).append(q.triple)
    return graphs


def _turtle(triples: list[ox.Triple]) -> bytes:
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    return _bytes(ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.TURTLE, prefixes=prefixes))


def make_release(
    dataset: Path, out_dir: Path, spec: ReleaseSpec, previous: Path | None, data_licence_text: str
) -> dict[str, Path]:
    """Write the release files of ``dataset`` (a built N-Quads file) into ``out_dir``; ``previous`` is the last
    release's ``.nq.gz`` (or a built dataset), or None for the first release."""
    if not VERSION.match(spec.version):
        raise ReleaseError(f"version {spec.version!r} is not X.Y.Z (semantic versioning)")
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", spec.date):
        raise ReleaseError(f"date {spec.date!r} is not YYYY-MM-DD")
    try:
        quads = [q for q in iter_dataset(dataset) if q.graph_name != METADATA]  # the release describes itself
        changes = (
            to_markdown(diff_files(previous, dataset), previous.name, f"{spec.version}")
            if previous
            else f"## Data changes in {spec.version}\n\nThe first release: nothing to compare with.\n"
        )
    except DatasetError as exc:
        raise ReleaseError(str(exc)) from None
    if not quads:
        raise ReleaseError(f"{dataset}: the dataset is empty; refusing to release nothing")
    stem = f"recsys-kg-{spec.version}"
    graphs = _by_graph(quads)
    files: dict[str, bytes] = {}
    dump = _bytes(ox.serialize(sorted(quads, key=str), format=ox.RdfFormat.N_QUADS))
    files[f"{stem}.nq.gz"] = gzipped(dump)
    for graph, triples in sorted(graphs.items()):
        files[f"{stem}.{graph_slug(graph)}.ttl.gz"] = gzipped(_turtle(triples))
    files[CHANGELOG] = changes.encode("utf-8")
    files[DATA_LICENCE_FILE] = data_licence_text.encode("utf-8")
    media = {".gz": "application/gzip", ".md": "text/markdown"}
    distributions = {name: (len(data), media[Path(name).suffix]) for name, data in files.items()}
    metadata = release_metadata(spec, {g: len(t) for g, t in graphs.items()}, stem, distributions)
    violations = check_metadata(metadata)
    if violations:  # checked before anything is written
        raise ReleaseMetadataError(violations)
    files[f"{stem}.void.ttl"] = _turtle(metadata)
    files[SUMS] = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items())
    ).encode()
    with output_set(out_dir) as staging:
        for name, data in files.items():
            staging.write(name, data)
    return {name: out_dir / name for name in files}


def release_metadata(
    spec: ReleaseSpec, triples_per_graph: dict[str, int], stem: str, distributions: dict[str, tuple[int, str]]
) -> list[ox.Triple]:
    """The VoID + DCAT description of a release (https://www.w3.org/TR/void/, https://www.w3.org/TR/vocab-dcat-3/).

    Licences per graph: a source's from its manifest entry (none when it states none; its dcterms:rights says what
    the graph reuses), recsys-kg's data licence for the graphs it makes (vocabulary, ontology, inferred)."""
    d = T.instance("release", spec.version)
    base = spec.base_url if spec.base_url.endswith("/") else spec.base_url + "/"
    dcat, void = (lambda local: ox.NamedNode(DCAT + local)), (lambda local: ox.NamedNode(VOID + local))
    creator = T.instance("agent", "recsys-kg-contributors")
    out: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = [
        (d, T.RDF_TYPE, void("Dataset")),
        (d, T.RDF_TYPE, dcat("Dataset")),
        (
            d,
            T.dcterms("title"),
            T.string(f"recsys-kg {spec.version}: a knowledge graph of LLM-based recommender-system papers", "en"),
        ),
        (
            d,
            T.dcterms("description"),
            T.string(
                "Papers, methods, backbone models, tuning strategies, venues and deploying organizations from "
                "hand-kept lists of LLM-based recommender-system papers, each statement in the named graph of the "
                "list that made it.",
                "en",
            ),
        ),
        (d, dcat("version"), T.string(spec.version)),
        (d, ox.NamedNode("http://www.w3.org/2002/07/owl#versionInfo"), T.string(spec.version)),
        (d, T.dcterms("modified"), T.typed(spec.date, "date")),
        (d, T.dcterms("issued"), T.typed(spec.date, "date")),
        (d, T.dcterms("creator"), creator),
        (d, T.dcterms("publisher"), creator),
        (creator, T.RDF_TYPE, ox.NamedNode(FOAF + "Organization")),
        (creator, ox.NamedNode(FOAF + "name"), T.string("recsys-kg contributors")),
        (d, T.dcterms("license"), ox.NamedNode(DATA_LICENCE)),
        (
            d,
            T.dcterms("rights"),
            T.string(
                "recsys-kg's own work (structure, identifiers, curation, inferences) is licensed CC BY 4.0; what each "
                f"source list says stays under that list's terms, stated on its graph ({DATA_LICENCE_FILE}).",
                "en",
            ),
        ),
        (d, void("uriSpace"), T.string(ID_BASE)),
        (d, void("triples"), T.integer(sum(triples_per_graph.values()))),
        (d, void("dataDump"), ox.NamedNode(base + f"{stem}.nq.gz")),
    ]
    if spec.endpoint:
        out.append((d, void("sparqlEndpoint"), ox.NamedNode(spec.endpoint)))
    licences = {source: (licence, rights) for source, licence, rights in spec.licences}
    for graph, count in sorted(triples_per_graph.items()):
        g = ox.NamedNode(graph)
        out += [
            (d, void("subset"), g),
            (g, T.RDF_TYPE, void("Dataset")),
            (g, void("triples"), T.integer(count)),
            (g, void("dataDump"), ox.NamedNode(base + f"{stem}.{graph_slug(graph)}.ttl.gz")),
        ]
        source = graph.removeprefix(GRAPH_BASE + "source/") if graph.startswith(GRAPH_BASE + "source/") else None
        if source is not None:
            licence, rights = licences.get(source, (None, None))
            if source == "contributions":  # contributed to recsys-kg, under its data licence
                licence, rights = (
                    DATA_LICENCE,
                    "Papers contributors described and maintainers accepted, under the dataset's licence.",
                )
            out.append((g, T.dcterms("rights"), T.string(rights or "No licence is stated by the source.", "en")))
            if licence:  # a list that states no licence gets none: its rights statement says so
                out.append((g, T.dcterms("license"), ox.NamedNode(licence)))
        else:
            out.append((g, T.dcterms("license"), ox.NamedNode(DATA_LICENCE)))
    for name, (size, media_type) in sorted(distributions.items()):
        dist = T.instance("release", spec.version, "file", graph_slug(name))
        out += [
            (d, dcat("distribution"), dist),
            (dist, T.RDF_TYPE, dcat("Distribution")),
            (dist, T.dcterms("title"), T.string(name)),
            (dist, dcat("downloadURL"), ox.NamedNode(base + name)),
            (dist, dcat("mediaType"), ox.NamedNode(f"https://www.iana.org/assignments/media-types/{media_type}")),
            (dist, dcat("byteSize"), T.integer(size)),
        ]
    return [ox.Triple(s, p, o) for s, p, o in out]


def counts_per_graph(path: Path) -> Counter[str]:
    """Triples per named graph of a dump (what a release's VoID must say)."""
    return Counter(q.graph_name.value for q in iter_dataset(path) if isinstance(q.graph_name, ox.NamedNode))
