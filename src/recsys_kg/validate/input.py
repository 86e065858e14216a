"""Reading contribution files: refuse what cannot be a contribution before any RDF work, parse the rest with a
parser that reports line and column, and remember where each term is written so results can point at it.

A contribution is a small Turtle (``.ttl``), N-Triples (``.nt``) or JSON-LD (``.jsonld``, ``.json``) document
whose triples are in the default graph. Remote JSON-LD contexts are never fetched. Blank nodes are skolemized
(RDF 1.1 Concepts §3.5) into ``…/.well-known/genid/<file>-<n>`` IRIs, numbered in order of appearance, so the
validator can pass them as focus nodes and results about them are the same on every run.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import pyoxigraph as ox

from recsys_kg.shacl.report import SKOLEM_BASE

MAX_BYTES = 1 << 20  # a contribution describes a few papers: 1 MiB is already hundreds of them
# JSON nested deeper than this is refused before parsing: the JSON-LD parser recurses, and 20,000 levels crashed
# the process (SIGSEGV) with no message. A real contribution nests four or five levels.
MAX_JSON_DEPTH = 100
BOM = b"\xef\xbb\xbf"
# Nodes one file may describe. Validation is linear in them, about 4 ms each on top of a fixed 3 s against the seed
# graph (2,700 papers, the most 1 MiB holds, took 14 s); a contribution is a few papers, and a file of hundreds is
# an import, better split so each part's results can be read.
MAX_DESCRIBED = 500
FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}
_IRIREF = re.compile(r"<([^<>\"{}|^`\\\s]*)>")
_PNAME = re.compile(r"(?<![\w<\"'\\/#:-])([A-Za-z][\w.-]*)?:((?:[\w:%-]|\\.|\.(?=[\w:%-]))*)")
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_DECLARATION = re.compile(
    r"(?:@prefix|\bprefix)\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>|(?:@base|\bbase)\s+<([^<>\s]*)>", re.IGNORECASE
)
_JSON_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_KEYWORD = re.compile(r"(@\w+)")
_SURROGATE = re.compile("[\ud800-\udfff]|\\\\u([dD][89a-fA-F][0-9a-fA-F]{2})")


def printable(text: str) -> str:
    """``text`` with lone surrogates (undecodable bytes of a file name, JSON ``\\uD800`` escapes) written as U+XXXX,
    so a message can always be printed and read."""
    return _SURROGATE.sub(lambda m: f"U+{m.group(1).upper() if m.group(1) else format(ord(m.group()), '04X')}", text)


class ContributionError(Exception):
    """A contribution that cannot be read: names the file and, where known, the line and column."""

    def __init__(self, file: str, message: str, line: int | None = None, column: int | None = None) -> None:
        file, message = printable(file), printable(message)
        self.file, self.line, self.column, self.message = file, line, column, message
        where = file + (f":{line}" if line else "") + (f":{column}" if line and column else "")
        super().__init__(f"{where}: {message}")

    def as_json(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column, "message": self.message}


@dataclass
class Contribution:
    """One parsed contribution: its triples, the nodes it describes, and the first line each term appears on."""

    file: str
    triples: list[ox.Triple]
    lines: dict[str, int] = field(default_factory=dict)
    declarations: list[tuple[str, str, int]] = field(default_factory=list)  # (prefix, IRI, line); "@base" for a base

    def subjects(self) -> list[ox.NamedNode]:
        # Blank nodes are skolemized and a subject is never a triple term: this filter drops nothing.
        return list(dict.fromkeys(t.subject for t in self.triples if isinstance(t.subject, ox.NamedNode)))

    def mentioned(self) -> list[ox.NamedNode]:
        """Every IRI the file writes as a subject or an object (classes included; properties are checked on
        the subjects that use them)."""
        terms = (term for t in self.triples for term in (t.subject, t.object))
        return list(dict.fromkeys(term for term in terms if isinstance(term, ox.NamedNode)))


def read_contribution(path: Path, index: int = 1, shown: str | None = None) -> Contribution:
    """Parse one contribution file or raise ContributionError (never another exception for bad input)."""
    name = shown or str(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ContributionError(
            name,
            f"unknown file type '{path.suffix or '(none)'}': a contribution is a Turtle "
            "(.ttl), N-Triples (.nt) or JSON-LD (.jsonld, .json) file",
        )
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ContributionError(name, "not a regular file")
        if size > MAX_BYTES:
            raise ContributionError(
                name,
                f"the file is {size / 1e6:.1f} MB; a contribution must be at most "
                f"{MAX_BYTES // 1024} KiB (split it, one paper per file)",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ContributionError(name, f"cannot read the file: {exc.strerror or exc}") from None
    if data.startswith(BOM):  # a byte-order mark: JSON-LD parsers skip it, Turtle's would read it as a subject
        data = data[len(BOM) :]
    text = _decode(name, data)
    if not text.strip():
        raise ContributionError(name, "the file is empty: copy contributions/TEMPLATE.ttl and fill it in")
    json_ld = fmt == ox.RdfFormat.JSON_LD
    if json_ld:
        _check_json_depth(name, text)
    triples, prefixes, base = _parse(name, data, fmt, text)
    document = _json_document(text) if json_ld else None
    if not triples:
        raise ContributionError(name, "the file contains no triples (only comments or prefixes)")
    triples = _skolemize(triples, index)
    contribution = Contribution(name, triples)
    if len(described := contribution.subjects()) > MAX_DESCRIBED:
        raise ContributionError(
            name,
            f"the file describes {len(described)} nodes; a contribution may describe at most "
            f"{MAX_DESCRIBED} (a few papers per file): split it",
        )
    contribution.lines = _json_lines(text, document) if json_ld else _turtle_lines(text, prefixes, base)
    contribution.declarations = _json_declarations(text, document) if json_ld else _turtle_declarations(text)
    _blank_node_lines(contribution)
    return contribution


def _decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContributionError(
            name, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8", line, column
        ) from None


def _check_json_depth(name: str, text: str) -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH, in one linear pass, before the (recursive) JSON-LD parser."""
    depth = 0
    for match in _JSON_STRUCTURE.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                line, column = _position(text, match.start())
                raise ContributionError(
                    name,
                    f"the JSON nests more than {MAX_JSON_DEPTH} levels deep here; a "
                    "contribution needs a handful (see contributions/TEMPLATE.jsonld)",
                    line,
                    column,
                )
        elif token in "]}":
            depth -= 1


def _json_document(text: str) -> object:
    """The JSON of a JSON-LD file the RDF parser accepted (None in the unlikely case Python's JSON reader does not)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _locate(text: str, message: str) -> tuple[int, int]:
    """Where a parser error without a position most likely is: where Python's JSON reader stops, for text that is
    not JSON; the first use of the JSON-LD keyword it names (``@id value must be a string``) with a value that is
    not a string, else its first use; else line 1."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return exc.lineno, exc.colno
    except (ValueError, RecursionError):
        pass  # valid JSON (or too deep to tell): the keyword named in the message locates the error
    keyword = _KEYWORD.search(message)
    if keyword:
        quoted = re.escape(f'"{keyword.group(1)}"')
        found = re.search(quoted + r'\s*:\s*[^"\s]', text) or re.search(quoted, text)
        if found:
            return _position(text, found.start())
    return 1, 1


def _parse(name: str, data: bytes, fmt: ox.RdfFormat, text: str) -> tuple[list[ox.Triple], dict[str, str], str | None]:
    parser = ox.parse(data, format=fmt, without_named_graphs=True)
    try:
        quads = list(parser)
    except SyntaxError as exc:
        message = re.sub(
            r"^Parser error (at|between) line \d+( column \d+)?( between columns \d+ and (?:column )?\d+)?"
            r"( and line \d+ column \d+)?: ",
            "",
            exc.msg,
        )
        if "LoadDocumentCallback" in message:
            message = "remote JSON-LD contexts are not loaded: put the @context object in the file"
        line, column = (exc.lineno, exc.offset) if exc.lineno else _locate(text, message)
        raise ContributionError(name, f"syntax error: {message}", line, column) from None
    except ValueError as exc:
        line, column = _locate(text, str(exc))
        raise ContributionError(name, f"syntax error: {exc}", line, column) from None
    prefixes = dict(getattr(parser, "prefixes", {}) or {})
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads], prefixes, getattr(parser, "base_iri", None)


def _skolemize(triples: list[ox.Triple], index: int) -> list[ox.Triple]:
    names: dict[ox.BlankNode, ox.NamedNode] = {}

    def skolem(term):
        if not isinstance(term, ox.BlankNode):
            return term
        if term not in names:
            names[term] = ox.NamedNode(f"{SKOLEM_BASE}{index}-b{len(names) + 1}")
        return names[term]

    return [ox.Triple(skolem(t.subject), t.predicate, skolem(t.object)) for t in triples]


def _record(lines: dict[str, tuple[int, bool]], iri: str, line: int, starts_line: bool) -> None:
    """First line an IRI is written on, preferring a line it starts (where its description begins)."""
    known = lines.get(iri)
    if known is None or (starts_line and not known[1]):
        lines[iri] = (line, starts_line)


def _turtle_lines(text: str, prefixes: dict[str, str], base: str | None) -> dict[str, int]:
    found: dict[str, tuple[int, bool]] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = _strip_comment(raw)
        stripped = line.lstrip()
        for match in _IRIREF.finditer(line):
            iri = urljoin(base, match.group(1)) if base else match.group(1)
            _record(found, iri, number, stripped.startswith(match.group(0)))
        for match in _PNAME.finditer(line):
            prefix = match.group(1) or ""
            if prefix in prefixes and not line[: match.start()].rstrip().endswith("@prefix"):
                iri = prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", match.group(2))
                _record(found, iri, number, stripped.startswith(match.group(0)))
    return {iri: line for iri, (line, _) in found.items()}


def _strip_comment(line: str) -> str:
    """The line without a trailing # comment (a # inside <…> or "…" is not a comment)."""
    in_iri = in_string = False
    for i, char in enumerate(line):
        if char == '"' and not in_iri and (i == 0 or line[i - 1] != "\\"):
            in_string = not in_string
        elif char == "<" and not in_string:
            in_iri = True
        elif char == ">" and not in_string:
            in_iri = False
        elif char == "#" and not in_iri and not in_string:
            return line[:i]
    return line


def _context_strings(document: object) -> dict[str, str]:
    """The string-valued entries of a JSON-LD document's top-level @context (an object or a list of objects)."""
    contexts = document.get("@context") if isinstance(document, dict) else None
    found: dict[str, str] = {}
    for context in contexts if isinstance(contexts, list) else [contexts]:
        if isinstance(context, dict):
            found.update((k, v) for k, v in context.items() if isinstance(v, str))
    return found


def _json_declarations(text: str, document: object) -> list[tuple[str, str, int]]:
    """(prefix or term, IRI, line) of every string in the top-level @context; ``@base``/``@vocab`` included."""
    declarations = []
    for key, value in _context_strings(document).items():
        at = text.find(json.dumps(key))
        declarations.append((key, value, text.count("\n", 0, at) + 1 if at >= 0 else 1))
    return declarations


def _turtle_declarations(text: str) -> list[tuple[str, str, int]]:
    """(prefix, IRI, line) of every @prefix / PREFIX and ("@base", IRI, line) of every base declaration, as
    written (a prefix declared twice is listed twice: the parser keeps only the last)."""
    found = []
    for number, raw in enumerate(text.splitlines(), 1):
        for match in _DECLARATION.finditer(_strip_comment(raw)):
            if match.group(3) is not None:
                found.append(("@base", match.group(3), number))
            else:
                found.append((match.group(1) or "", match.group(2), number))
    return found


def _json_lines(text: str, document: object) -> dict[str, int]:
    """For JSON-LD: the line of every string that expands (through the document's @context prefixes) to an IRI."""
    prefixes = _context_strings(document)
    found: dict[str, tuple[int, bool]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        for match in _JSON_STRING.finditer(line):
            value = match.group(1)
            prefix, colon, local = value.partition(":")
            iri = prefixes[prefix] + local if colon and prefix in prefixes else value
            _record(found, iri, number, '"@id"' in line[: match.start()])
    return {iri: line for iri, (line, _) in found.items()}


def _blank_node_lines(contribution: Contribution) -> None:
    """A skolemized blank node is written where its subject refers to it: use that subject's line."""
    for triple in contribution.triples:
        obj = triple.object
        if isinstance(obj, ox.NamedNode) and obj.value.startswith(SKOLEM_BASE) and obj.value not in contribution.lines:
            subject = triple.subject
            assert isinstance(subject, ox.NamedNode)  # blank nodes are skolemized, triple terms are never subjects
            line = contribution.lines.get(subject.value)
            if line:
                contribution.lines[obj.value] = line
