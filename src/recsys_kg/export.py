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

Outputs are deterministic: quads sorted, blank node labels as in the build (canonical), no timestamp.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from .build import serialize
from .outputs import atomic_write
from .terms import GRAPH_BASE, XSD, short_hash

FORMATS = {
    "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD,
    "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
}
TRIPLE_FORMATS = ("ttl", "nt")
EXTENSIONS = {"nq": "nq", "trig": "trig", "jsonld": "jsonld", "ttl": "ttl", "nt": "nt", "json": "jsonld"}
GRAPH_SIDECAR = ".graph"
MARKER = ".recsys-kg-export"  # marks a directory this module wrote, so a re-export may replace it
INT64 = 2**63
INTEGER_TYPES = {XSD + t for t in ("integer", "long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger",
                                   "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
                                   "unsignedShort", "unsignedByte")}
LEXICAL = {
    XSD + "decimal": r"[+-]?(\d+(\.\d*)?|\.\d+)",
    XSD + "boolean": r"true|false|1|0",
    XSD + "double": r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|NaN",
    XSD + "float": r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|NaN",
    XSD + "gYear": r"-?\d{4,}(Z|[+-]\d\d:\d\d)?",
    XSD + "gYearMonth": r"-?\d{4,}-(0[1-9]|1[0-2])(Z|[+-]\d\d:\d\d)?",
    XSD + "date": r"-?\d{4,}-\d\d-\d\d(Z|[+-]\d\d:\d\d)?",
    **{t: r"[+-]?\d+" for t in INTEGER_TYPES},
}
YEAR_TYPES = {XSD + "gYear", XSD + "gYearMonth", XSD + "date", XSD + "dateTime"}


class ExportError(Exception):
    """Input that cannot be read (``code`` 2) or data no portable form can carry (``code`` 1)."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    files: tuple[Path, ...]
    quads: int
    graphs: int


def _quad_text(quad: ox.Quad) -> str:
    text = str(quad)
    return text if len(text) <= 300 else text[:300] + "…"


def canonical_literal(literal: ox.Literal) -> ox.Literal:
    """The portable canonical form of a literal; :class:`ValueError` says why there is none."""
    if literal.language:
        return ox.Literal(literal.value, language=literal.language.lower())
    datatype, value = literal.datatype.value, literal.value
    pattern = LEXICAL.get(datatype)
    if pattern and not re.fullmatch(pattern, value):
        raise ValueError(f"ill-typed literal: {value!r} is not a valid <{datatype}> (Jena's parser warns and stops)")
    if datatype in INTEGER_TYPES:
        number = int(value)
        if not -INT64 <= number < INT64:
            raise ValueError("integer beyond 64 bits: Jena TDB2 wraps it and Virtuoso turns it into a decimal or "
                             "rejects the whole Turtle file; map it as xsd:decimal or a string")
        value = str(number)
    elif datatype == XSD + "decimal":
        number = Decimal(value)  # valid: the pattern above matched
        value = str(int(number)) if number == number.to_integral_value() else format(number.normalize(), "f")
    elif datatype == XSD + "boolean":
        value = "true" if value in ("true", "1") else "false"
    if datatype in YEAR_TYPES and (value.startswith("-") or value.startswith("0000")):
        raise ValueError(f"year before 1 CE ({value!r}): Virtuoso rewrites it into an invalid form")
    return ox.Literal(value, datatype=literal.datatype)


def portable(quads: Iterable[ox.Quad], max_problems: int = 20) -> list[ox.Quad]:
    """The quads with canonical literals, deduplicated and sorted; :class:`ExportError` (code 1) lists the quads
    that have no portable form."""
    out: set[ox.Quad] = set()
    problems: list[str] = []
    for quad in quads:
        obj = quad.object
        if isinstance(obj, ox.Literal):
            try:
                obj = canonical_literal(obj)
            except ValueError as exc:
                problems.append(f"{_quad_text(quad)}\n    {exc}")
                continue
        out.add(ox.Quad(quad.subject, quad.predicate, obj, quad.graph_name))
    if problems:
        shown = "\n  ".join(problems[:max_problems])
        more = f"\n  … and {len(problems) - max_problems} more" if len(problems) > max_problems else ""
        raise ExportError(f"{len(problems)} quads have no portable form:\n  {shown}{more}", code=1)
    return sorted(out, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def format_of(path: Path) -> str:
    """The export format name of a file from its extension (``.nq``, ``.trig``, ``.jsonld``, ``.ttl``, ``.nt``)."""
    fmt = EXTENSIONS.get(path.suffix.lstrip(".").lower())
    if fmt is None:
        raise ExportError(f"{path}: unknown RDF file extension {path.suffix!r} (expected one of "
                          f".{', .'.join(sorted(FORMATS))})")
    return fmt


def _parse(path: Path, fmt: str, graph: ox.NamedNode | None = None, bnode_prefix: str = "") -> list[ox.Quad]:
    """Quads of one file; ``graph`` names a triple file's graph, ``bnode_prefix`` keeps its blank nodes apart
    from another file's that happen to share a label."""
    def rename(term):
        return ox.BlankNode(bnode_prefix + term.value) if bnode_prefix and isinstance(term, ox.BlankNode) else term

    try:
        parsed = ox.parse(path=str(path), format=FORMATS[fmt], without_named_graphs=graph is not None)
        if graph is None and not bnode_prefix:
            return list(parsed)
        return [ox.Quad(rename(q.subject), q.predicate, rename(q.object), graph or q.graph_name) for q in parsed]
    except SyntaxError as exc:
        raise ExportError(f"{path}: not valid {fmt.upper()}: {exc}") from None
    except OSError as exc:
        raise ExportError(f"cannot read {path}: {exc.strerror or exc}") from None


def read_dataset(path: Path) -> list[ox.Quad]:
    """Quads of a dataset file (N-Quads, TriG, JSON-LD) or of a per-graph directory this module wrote."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".ttl", ".nt") and p.is_file())
        if not files:
            raise ExportError(f"{path}: no .ttl or .nt files in this directory")
        quads: list[ox.Quad] = []
        for file in files:
            sidecar = file.with_name(file.name + GRAPH_SIDECAR)
            graph = None
            if sidecar.is_file():
                iri = sidecar.read_text(encoding="utf-8").strip()
                try:
                    graph = ox.NamedNode(iri)
                except ValueError:
                    raise ExportError(f"{sidecar}:1: not an IRI: {iri!r}") from None
            quads += _parse(file, format_of(file), graph, bnode_prefix=f"f{short_hash(file.name, 8)}x")
        return quads
    if not path.exists():
        raise ExportError(f"{path} does not exist: run `recsys-kg build` first, or pass --dataset")
    fmt = format_of(path)
    if fmt in TRIPLE_FORMATS:
        raise ExportError(f"{path}: a single {fmt} file has no named graphs; pass a dataset (.nq, .trig, "
                          ".jsonld) or a directory written by `recsys-kg export --format {fmt}`")
    return _parse(path, fmt)


def select_graphs(quads: list[ox.Quad], graphs: Sequence[str]) -> list[ox.Quad]:
    """Only the quads of the named graphs given (all when none are given); an unknown graph is an error."""
    if not graphs:
        return quads
    wanted = {g if "://" in g else GRAPH_BASE + g for g in graphs}
    present = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    if missing := sorted(wanted - present):
        raise ExportError(f"no such graph in the dataset: {', '.join(missing)} (graphs: "
                          f"{', '.join(g.removeprefix(GRAPH_BASE) for g in sorted(present))})")
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


def serialize_triples(triples: list[ox.Triple], fmt: str) -> bytes:
    as_quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    return serialize(as_quads, FORMATS[fmt])


def per_graph_files(quads: list[ox.Quad], fmt: str) -> dict[str, bytes]:
    """``{file name: content}`` for a triple format: one file per graph plus its ``.graph`` sidecar."""
    graphs = by_graph(quads)
    owners: dict[str, str] = {}
    for q in quads:
        for term in (q.subject, q.object):
            if isinstance(term, ox.BlankNode):
                graph = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
                if owners.setdefault(term.value, graph) != graph:
                    raise ExportError(f"blank node _:{term.value} occurs in two graphs; one-file-per-graph formats "
                                      "cannot keep it shared: export as nq, trig or jsonld", code=1)
    files: dict[str, bytes] = {}
    for graph_iri, triples in graphs.items():
        name = f"{graph_file_stem(graph_iri)}.{fmt}"
        if name in files:
            raise ExportError(f"two graphs map to the same file name {name}", code=1)
        files[name] = serialize_triples(triples, fmt)
        if graph_iri:
            files[name + GRAPH_SIDECAR] = (graph_iri + "\n").encode("utf-8")
    return files


def dataset_bytes(quads: list[ox.Quad], fmt: str) -> bytes:
    """One file of a quad format (JSON-LD without prefixes: plain expanded form, no context to process)."""
    if fmt == "jsonld":
        return ox.serialize(quads, format=ox.RdfFormat.JSON_LD)
    return serialize(quads, FORMATS[fmt])


def _public_mode(mode: int) -> int:
    """``mode`` less the umask: temporary files are created private, exports should not stay so."""
    umask = os.umask(0)
    os.umask(umask)
    return mode & ~umask


def _replace_directory(target: Path, files: dict[str, bytes]) -> list[Path]:
    """Write the files into a fresh sibling directory, then swap it in; never replaces a foreign directory."""
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / MARKER).exists())):
        raise ExportError(f"refusing to replace {target}: it exists and was not written by `recsys-kg export`")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        (staging / MARKER).write_text("written by recsys-kg export; replaced by the next export\n", encoding="utf-8")
        staging.chmod(_public_mode(0o777))
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old-{staging.name}")
            target.rename(old)
        staging.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [target / name for name in files]


def default_out(fmt: str, build_dir: Path) -> Path:
    base = build_dir / "export"
    return base / f"recsys-kg-{fmt}" if fmt in TRIPLE_FORMATS else base / f"recsys-kg.{fmt}"


def export(dataset: Path, fmt: str, out: Path, graphs: Sequence[str] = ()) -> ExportSummary:
    """Read the built dataset, make it portable, write it in ``fmt`` to ``out`` (a file, or a directory for
    triple formats)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    quads = portable(select_graphs(read_dataset(dataset), graphs))
    try:
        if fmt in TRIPLE_FORMATS:
            files = _replace_directory(out, per_graph_files(quads, fmt))
        else:
            atomic_write(out, dataset_bytes(quads, fmt))
            out.chmod(_public_mode(0o666))
            files = [out]
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    return ExportSummary(out, tuple(files), len(quads), len(by_graph(quads)))
