"""The one reader of built datasets: N-Quads, TriG, JSON-LD files, or a directory of per-graph Turtle / N-Triples
files with ``<file>.graph`` sidecars (what `recsys-kg export` writes), as quads or as an opened store.

Every failure is a :class:`DatasetError` naming the path and what to do, so each command reports it the same way
(exit 2) instead of each reader inventing its own error.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from recsys_kg.outputs import recover
from recsys_kg.rdf.graph_store import Loader, StoreUnavailable, fill, generation, open_graph
from recsys_kg.rdf.graphs import ONTOLOGY
from recsys_kg.rdf.terms import short_hash

FORMATS = {
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
}
TRIPLE_FORMATS = ("ttl", "nt")
EXTENSIONS = {"nq": "nq", "trig": "trig", "jsonld": "jsonld", "ttl": "ttl", "nt": "nt", "json": "jsonld"}
GRAPH_SIDECAR = ".graph"


class DatasetError(Exception):
    """A dataset that cannot be read: missing, unknown format, not valid RDF, or not a recsys-kg build."""


def format_of(path: Path) -> str:
    """The export format name of a file from its extension (``.nq``, ``.trig``, ``.jsonld``, ``.ttl``, ``.nt``,
    each also gzip-compressed as a release writes them: ``.nq.gz``)."""
    fmt = EXTENSIONS.get(_unzipped(path).suffix.lstrip(".").lower())
    if fmt is None:
        raise DatasetError(
            f"{path}: unknown RDF file extension {path.suffix!r} (expected one of .{', .'.join(sorted(FORMATS))})"
        )
    return fmt


def _unzipped(path: Path) -> Path:
    return path.with_suffix("") if path.suffix.lower() == ".gz" else path


def _input(path: Path) -> dict:
    """The ``path=`` or (for a .gz file) ``input=`` argument of pyoxigraph's parse and bulk_load."""
    return {"input": gzip.open(path, "rb")} if path.suffix.lower() == ".gz" else {"path": str(path)}


def _parse(path: Path, fmt: str, graph: ox.NamedNode | None = None, bnode_prefix: str = "") -> Iterator[ox.Quad]:
    """Quads of one file, as parsed; ``graph`` names a triple file's graph, ``bnode_prefix`` keeps its blank nodes
    apart from another file's that happen to share a label."""

    def rename(term):
        return ox.BlankNode(bnode_prefix + term.value) if bnode_prefix and isinstance(term, ox.BlankNode) else term

    try:
        parsed = ox.parse(**_input(path), format=FORMATS[fmt], without_named_graphs=graph is not None)
        if graph is None and not bnode_prefix:
            yield from parsed
        else:
            for q in parsed:
                yield ox.Quad(rename(q.subject), q.predicate, rename(q.object), graph or q.graph_name)
    except SyntaxError as exc:
        raise DatasetError(f"{path}: not valid {fmt.upper()}: {exc}") from None
    except (OSError, EOFError) as exc:  # EOFError, gzip.BadGzipFile (an OSError): a truncated or corrupt .gz
        raise DatasetError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None


def _sources(path: Path) -> list[tuple[Path, str, ox.NamedNode | None, str]]:
    """(file, format, graph, blank node prefix) of every file to read; errors about the paths come first. A build
    killed while moving its committed outputs into place is finished first, so no reader sees a mix of two builds."""
    recover(path.parent, discard=False)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".ttl", ".nt") and p.is_file())
        if not files:
            raise DatasetError(f"{path}: no .ttl or .nt files in this directory")
        sources = []
        for file in files:
            sidecar = file.with_name(file.name + GRAPH_SIDECAR)
            graph = None
            if sidecar.is_file():
                iri = sidecar.read_text(encoding="utf-8").strip()
                try:
                    graph = ox.NamedNode(iri)
                except ValueError:
                    raise DatasetError(f"{sidecar}:1: not an IRI: {iri!r}") from None
            sources.append((file, format_of(file), graph, f"f{short_hash(file.name, 8)}x"))
        return sources
    if not path.exists():
        raise DatasetError(f"{path} does not exist: run `recsys-kg build` first, or give the path of a built dataset")
    fmt = format_of(path)
    if fmt in TRIPLE_FORMATS:
        raise DatasetError(
            f"{path}: a single {fmt} file has no named graphs; pass a dataset (.nq, .trig, "
            ".jsonld) or a directory written by `recsys-kg export --format {fmt}`"
        )
    return [(path, fmt, None, "")]


def iter_dataset(path: Path) -> Iterator[ox.Quad]:
    """Quads of a dataset file (N-Quads, TriG, JSON-LD) or of a per-graph directory this module wrote, read as
    they are parsed (a 100x dataset is not held as a list). Errors about the path are raised at once."""
    sources = _sources(path)
    if len(sources) == 1:
        return _parse(*sources[0])
    return (quad for source in sources for quad in _parse(*source))


def iter_subjects(path: Path, prefixes: tuple[str, ...]) -> Iterator[ox.Quad]:
    """The quads of a dataset whose subject is an IRI starting with one of ``prefixes``. An N-Quads file (also
    gzipped) is filtered line by line before parsing (a line starts with its subject), which spares building
    terms for the rest: at 100x the seed, the claims `recsys-kg diff` needs are a third of 2.7 M quads."""
    if path.is_dir() or format_of(path) != "nq":
        wanted = tuple(prefixes)
        yield from (
            q for q in iter_dataset(path) if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(wanted)
        )
        return
    _sources(path)  # errors about the path first
    starts = tuple(("<" + prefix).encode("utf-8") for prefix in prefixes)
    try:
        with gzip.open(path, "rb") if path.suffix.lower() == ".gz" else open(path, "rb") as handle:
            while chunk := handle.readlines(1 << 24):
                kept = b"".join(line for line in chunk if line.startswith(starts))
                if kept:
                    yield from ox.parse(kept, format=ox.RdfFormat.N_QUADS)
    except SyntaxError as exc:
        raise DatasetError(f"{path}: not valid NQ: {exc}") from None
    except (OSError, EOFError) as exc:
        raise DatasetError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None


def read_dataset(path: Path) -> list[ox.Quad]:
    """Quads of a dataset file or of a per-graph directory this module wrote (see :func:`iter_dataset`)."""
    return list(iter_dataset(path))


def open_store(path: Path) -> ox.Store:
    """The dataset as a store to query, named graphs kept: for a dataset file, its persistent on-disk store opened
    read-only (graph_store.py: created from the file the first time, checked against the file every time); for a
    per-graph directory, or where no store can be written, the quads loaded into memory. Do not write to it."""
    sources = _sources(path)
    if len(sources) == 1 and sources[0][2] is None:
        try:
            return open_graph(path, _loader(path))
        except StoreUnavailable:
            pass  # no store can be written next to the file (read-only or full disk): load it into memory
        except SyntaxError as exc:
            raise DatasetError(f"{path}: not valid RDF: {exc}") from None
        except OSError as exc:
            raise DatasetError(f"cannot read {path}: {exc.strerror or exc}") from None
    return memory_store(path)


def graph_generation(path: Path) -> Path:
    """The directory of the persistent store of the dataset file ``path`` (graph_store.generation), made first
    if needed; raises StoreUnavailable where none can be had, DatasetError for a dataset that cannot be read."""
    sources = _sources(path)
    if len(sources) != 1 or sources[0][2] is not None:
        raise StoreUnavailable(f"{path}: a directory of per-graph files has no persistent store")
    try:
        return generation(path, _loader(path))
    except SyntaxError as exc:
        raise DatasetError(f"{path}: not valid RDF: {exc}") from None


def _loader(path: Path) -> Loader:
    """Fills a new persistent store from the open dataset file, in batches (graph_store.fill)."""
    rdf_format = FORMATS[format_of(path)]
    return lambda store, handle: fill(store, ox.parse(handle, format=rdf_format))


def memory_store(path: Path) -> ox.Store:
    """An in-memory store with the dataset's quads, named graphs kept (bulk-loaded: the fast path for a built
    N-Quads or TriG file); a store the caller may change."""
    sources = _sources(path)
    store = ox.Store()
    try:
        if len(sources) == 1 and sources[0][2] is None:
            store.bulk_load(**_input(path), format=FORMATS[sources[0][1]])
        else:
            store.bulk_extend(iter_dataset(path))
    except SyntaxError as exc:
        raise DatasetError(f"{path}: not valid RDF: {exc}") from None
    except (OSError, EOFError) as exc:
        raise DatasetError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    return store


def read_built(path: Path) -> list[ox.Quad]:
    """The quads of a dataset written by `recsys-kg build` (it must hold the ontology graph)."""
    quads = read_dataset(path)
    if not any(q.graph_name == ONTOLOGY for q in quads):
        raise DatasetError(
            f"{path}: the dataset has no ontology graph ({ONTOLOGY.value}); use a dataset written by `recsys-kg build`"
        )
    return quads
