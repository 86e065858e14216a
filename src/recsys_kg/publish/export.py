"""`recsys-kg export`: the built dataset in the five RDF formats stores load (N-Quads, TriG, JSON-LD, Turtle,
N-Triples), with literals in canonical, portable forms, so every store loads the same quads.

Why the literal forms matter (measured in ../shared/stores.md §6-7): stores rewrite non-canonical literals
(``"042"`` → ``"42"``, ``"7.0"`` → ``"7"``), compare language tags case-insensitively or not, and break on
values they cannot hold. So the export writes XSD 1.1 canonical integers, decimals and booleans (the forms
Oxigraph stores, hence also what the embedded query engine answers with), lower-case language tags and
never an explicit ``^^xsd:string``; and it refuses, with the offending quad, what no canonical form can save:
integers beyond 64 bits (Jena TDB2 wraps them; Virtuoso stores a decimal or rejects the whole Turtle file),
years before 1 CE (Virtuoso corrupts them), ill-typed literals (Jena warns and exits 1).

Named graphs in triple formats: Turtle and N-Triples hold one graph each, so ``--format ttl|nt`` writes a
directory with one file per graph and, beside each, ``<file>.graph`` holding the graph IRI: the convention of
Virtuoso's bulk loader, and what `recsys-kg load` reads. Quad formats are single files. JSON-LD is written in
expanded form, one top-level object per graph with its ``@id`` (JSON-LD 1.0 readers such as Jena's put it in the
right graph; a default graph without ``@id`` is what other readers misread, see stores.md §5).

Outputs are deterministic: quads sorted, blank node labels as in the build (canonical), no timestamp. The
literals and the order are made in portable.py, which keeps Python's work per quad small; files are streamed to
disk, so a 100x dataset is never held as one text.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

import pyoxigraph as ox

from recsys_kg.outputs import aside_prefix, recover_directory
from recsys_kg.publish.portable import ExportError, PortableDataset, PortableGraph, make_portable
from recsys_kg.publish.portable import canonical_literal as canonical_literal  # re-exported: part of this module's API
from recsys_kg.rdf.dataset import FORMATS, GRAPH_SIDECAR, TRIPLE_FORMATS, iter_dataset
from recsys_kg.rdf.graphs import GRAPH_BASE
from recsys_kg.rdf.serialize import serialize
from recsys_kg.rdf.terms import short_hash

# What each format is written from: the sorted N-Quads lines, or the sorted quads (Turtle also needs the lines, to
# find blank nodes shared by two graphs)
KEEP = {"nq": "lines", "nt": "lines", "trig": "quads", "jsonld": "quads", "ttl": "both"}
MARKER = ".recsys-kg-export"  # marks a directory this module wrote, so a re-export may replace it


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    files: tuple[Path, ...]
    quads: int
    graphs: int


def portable(quads: Iterable[ox.Quad], max_problems: int = 20) -> list[ox.Quad]:
    """The quads with canonical literals, deduplicated and sorted; :class:`ExportError` (code 1) lists the quads
    that have no portable form."""
    return list(make_portable(quads, keep="quads", max_problems=max_problems).quads())


def select_graphs(quads: list[ox.Quad], graphs: Sequence[str]) -> list[ox.Quad]:
    """Only the quads of the named graphs given (all when none are given); an unknown graph is an error."""
    if not graphs:
        return quads
    wanted = {g if "://" in g else GRAPH_BASE + g for g in graphs}
    present = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    if missing := sorted(wanted - present):
        raise ExportError(
            f"no such graph in the dataset: {', '.join(missing)} (graphs: "
            f"{', '.join(g.removeprefix(GRAPH_BASE) for g in sorted(present))})"
        )
    return [q for q in quads if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in wanted]


def by_graph(quads: Iterable[ox.Quad]) -> dict[str, list[ox.Triple]]:
    """Triples per graph IRI ("" for the default graph), in input order."""
    graphs: dict[str, list[ox.Triple]] = {}
    for q in quads:
        key = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        graphs.setdefault(key, []).append(ox.Triple(q.subject, q.predicate, q.object))
    return graphs


def graph_file_stem(graph_iri: str) -> str:
    """``source__llm4rec-zh`` for …/graph/source/llm4rec-zh; ``default`` for the default graph; a hash otherwise."""
    if not graph_iri:
        return "default"
    local = graph_iri.removeprefix(GRAPH_BASE)
    if local != graph_iri and re.fullmatch(r"[a-z0-9][a-z0-9./-]*", local) and "__" not in local:
        return local.replace("/", "__")
    return "graph-" + short_hash(graph_iri)


_BLANK_SUBJECT_OR_OBJECT = re.compile(rb"^(?:_:(\S+) \S+ (?:_:(\S+) )?|\S+ \S+ _:(\S+) )", re.MULTILINE)


def _check_blank_nodes(groups: dict[str, list[PortableGraph]]) -> None:
    """A blank node in two graphs would become two nodes in two files: refuse. Only subjects and objects count,
    in the order of the quads, as the line form tells them apart (subject and predicate never contain a space)."""
    owners: dict[bytes, str] = {}
    for key, graphs in groups.items():
        for graph in graphs:
            for chunk in graph.nquads():
                if b"_:" not in chunk:
                    continue
                for match in _BLANK_SUBJECT_OR_OBJECT.finditer(chunk):
                    for label in filter(None, match.groups()):
                        if owners.setdefault(label, key) != key:
                            raise ExportError(
                                f"blank node _:{label.decode()} occurs in two graphs; one-file-per-graph "
                                "formats cannot keep it shared: export as nq, trig or jsonld",
                                code=1,
                            )


def per_graph_plan(data: PortableDataset, fmt: str) -> list[tuple[str, str, list[PortableGraph]]]:
    """(file name, graph IRI, the graphs it holds) for a triple format: one file per graph IRI; the default graph
    and blank-node graph names share ``default.<fmt>``. Refuses what one file per graph cannot hold."""
    groups: dict[str, list[PortableGraph]] = {}
    for graph in data.graphs:
        groups.setdefault(graph.key, []).append(graph)
    _check_blank_nodes(groups)
    plan, names = [], set()
    for graph_iri, graphs in groups.items():
        name = f"{graph_file_stem(graph_iri)}.{fmt}"
        if name in names:
            raise ExportError(f"two graphs map to the same file name {name}", code=1)
        names.add(name)
        plan.append((name, graph_iri, graphs))
    return plan


def write_triples(graphs: list[PortableGraph], fmt: str, output) -> None:
    """One file's (or request's) graphs as triples: N-Triples from the lines, Turtle from the quads."""
    if fmt == "nt":
        for graph in graphs:
            for chunk in graph.ntriples():
                output.write(chunk)
    else:
        serialize(map(attrgetter("triple"), (q for graph in graphs for q in graph.kept_quads())), FORMATS[fmt], output)


def write_dataset(data: PortableDataset, fmt: str, output) -> None:
    """The whole dataset in a quad format (JSON-LD without prefixes: plain expanded form, no context to process)."""
    if fmt == "nq":
        for chunk in data.nquads():
            output.write(chunk)
    elif fmt == "jsonld":
        ox.serialize(data.quads(), output, format=ox.RdfFormat.JSON_LD)
    else:
        serialize(data.quads(), FORMATS[fmt], output)


def dataset_bytes(quads: list[ox.Quad], fmt: str) -> bytes:
    """One file of a quad format from quads already portable and in order."""
    if fmt == "jsonld":
        text = ox.serialize(quads, format=ox.RdfFormat.JSON_LD)
    else:
        text = serialize(quads, FORMATS[fmt])
    assert text is not None  # no output given: the text is returned
    return text


def _public_mode(mode: int) -> int:
    """``mode`` less the umask: temporary files are created private, exports should not stay so."""
    umask = os.umask(0)
    os.umask(umask)
    return mode & ~umask


@contextmanager
def _atomic_file(path: Path):
    """A binary handle on a temporary file beside ``path``, renamed over it (synced, public) when all is written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _public_mode(0o666))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _replace_directory(target: Path, write: Callable[[Path], list[str]]) -> list[Path]:
    """Let ``write`` fill a fresh hidden sibling directory (it returns the names it wrote), then swap it in; never
    replaces a foreign directory. A run killed between the two renames leaves the previous export aside: the next
    run puts it back before anything else (outputs.recover_directory) and removes what dead runs left."""
    target.parent.mkdir(parents=True, exist_ok=True)
    recover_directory(target, lambda directory: (directory / MARKER).exists())
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / MARKER).exists())):
        raise ExportError(f"refusing to replace {target}: it exists and was not written by `recsys-kg export`")
    staging = Path(tempfile.mkdtemp(prefix=aside_prefix(target), dir=target.parent))
    old = None
    try:
        # the marker first: a staging directory a killed run leaves is then recognisably ours, and removed next time
        (staging / MARKER).write_text("written by recsys-kg export; replaced by the next export\n", encoding="utf-8")
        names = write(staging)
        staging.chmod(_public_mode(0o777))
        if target.exists():
            old = target.with_name(f"{aside_prefix(target)}old-{staging.name}")
            os.replace(target, old)
        os.replace(staging, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None and old.exists() and not target.exists():
            os.replace(old, target)  # failed between the two renames: the previous export goes back at once
        raise
    return [target / name for name in names]


def _write_per_graph(plan: list[tuple[str, str, list[PortableGraph]]], fmt: str, directory: Path) -> list[str]:
    names = []
    for name, graph_iri, graphs in plan:
        with open(directory / name, "wb", buffering=1 << 20) as handle:
            write_triples(graphs, fmt, handle)
        names.append(name)
        if graph_iri:
            (directory / (name + GRAPH_SIDECAR)).write_bytes((graph_iri + "\n").encode("utf-8"))
            names.append(name + GRAPH_SIDECAR)
    return names


def default_out(fmt: str, build_dir: Path) -> Path:
    base = build_dir / "export"
    return base / f"recsys-kg-{fmt}" if fmt in TRIPLE_FORMATS else base / f"recsys-kg.{fmt}"


def export(dataset: Path, fmt: str, out: Path, graphs: Sequence[str] = ()) -> ExportSummary:
    """Read the built dataset, make it portable, write it in ``fmt`` to ``out`` (a file, or a directory for
    triple formats)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    data = make_portable(iter_dataset(dataset), graphs, keep=KEEP[fmt])
    try:
        if fmt in TRIPLE_FORMATS:
            plan = per_graph_plan(data, fmt)
            files = _replace_directory(out, lambda directory: _write_per_graph(plan, fmt, directory))
        else:
            with _atomic_file(out) as handle:
                write_dataset(data, fmt, handle)
            files = [out]
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    return ExportSummary(out, tuple(files), len(data), len(data.keys()))
