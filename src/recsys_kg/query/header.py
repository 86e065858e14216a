"""The metadata header of a canned query: ``#+ `` comment lines at the top of the .rq file holding YAML.

Because every header line is a SPARQL comment, the file stays a valid query that runs unchanged in any store
(the grlc / sib-swiss sparql-examples convention). The header says what the query means, which parameters it
takes (each one the variable ``?_<name>`` in the query, bound by `query.standalone_text`) and what each
returned column holds. An ``iri`` parameter may name the ``class`` of its values: then a label or alias given for
it (``venue=RecSys``) is looked up among that class's instances (`query.lookup`). A ``string`` parameter with a
class is text the query matches itself (for other stores) that the API and CLI first resolve to instances,
binding their IRIs instead, so the query must accept either. A malformed header is an error naming the file and
line, never a silent default::

    #+ title: Papers per venue and year
    #+ description: >-
    #+   What the query answers, precisely.
    #+ parameters:
    #+   venue:
    #+     kind: iri
    #+     default: null
    #+     description: Only this venue (an IRI such as id:venue/www); every venue when not given.
    #+ columns:
    #+   venue: the venue IRI
    #+   papers: how many distinct papers
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

KINDS = {
    "iri": "an absolute IRI, or a prefixed name with a project prefix (id:org/alibaba, rkg:Paper)",
    "string": "any text, bound as a plain string literal",
    "literal": 'an RDF literal in N-Triples syntax ("2024"^^<http://www.w3.org/2001/XMLSchema#gYear>, "x"@en); other text is a plain string',
    "integer": "a whole number",
    "boolean": "true or false",
}
_KEYS = {"title", "description", "parameters", "columns"}
_PARAMETER_KEYS = {"kind", "default", "description", "class"}
_NAME = re.compile(r"[a-z][a-z0-9_]*")


class HeaderError(ValueError):
    """A header problem, with the file and line it is on."""

    def __init__(self, path: Path, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line = path, line


@dataclass(frozen=True)
class ParameterDoc:
    name: str
    kind: str
    default: str | None
    description: str
    rdf_class: str | None = None  # for an iri parameter: the class its values are instances of, as written


@dataclass(frozen=True)
class Header:
    title: str
    description: str
    parameters: tuple[ParameterDoc, ...]
    columns: tuple[tuple[str, str], ...]  # (name, description), in the order the query returns them
    lines: int  # how many lines the header takes


def header_lines(text: str) -> list[str]:
    """The leading ``#+`` lines, prefix removed."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#+"):
            break
        lines.append(line[3:] if line.startswith("#+ ") else line[2:])
    return lines


def _line_of(lines: list[str], key: str, after: int = 0) -> int:
    """1-based line of the first ``key:`` at or after line index ``after`` (for error messages)."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:")
    for index in range(after, len(lines)):
        if pattern.match(lines[index]):
            return index + 1
    return after + 1


def _text(value, path: Path, line: int, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise HeaderError(path, line, f"{what} must be non-empty text")
    return " ".join(value.split())


def parse_header(text: str, path: Path) -> Header:
    lines = header_lines(text)
    if not lines:
        raise HeaderError(path, 1, "no '#+' metadata header (title, description, parameters, columns) at the top")
    try:
        data = yaml.safe_load("\n".join(lines))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise HeaderError(path, line, f"header is not valid YAML: {exc.problem}") from None
    if not isinstance(data, dict):
        raise HeaderError(path, 1, "header must be a YAML mapping with title, description, parameters, columns")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise HeaderError(
            path,
            _line_of(lines, unknown[0]),
            f"unknown header key {unknown[0]!r}; valid keys: {', '.join(sorted(_KEYS))}",
        )
    for key in ("title", "description", "columns"):
        if key not in data:
            raise HeaderError(path, len(lines), f"header lacks {key!r}")
    title = _text(data["title"], path, _line_of(lines, "title"), "title")
    description = _text(data["description"], path, _line_of(lines, "description"), "description")
    parameters = _parameters(data.get("parameters") or {}, lines, path)
    columns_line = _line_of(lines, "columns")
    if not isinstance(data["columns"], dict) or not data["columns"]:
        raise HeaderError(path, columns_line, "columns must map each returned variable to what it holds")
    columns = []
    for name, doc in data["columns"].items():
        line = _line_of(lines, str(name), columns_line)
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise HeaderError(path, line, f"column {name!r} is not a SPARQL variable name")
        columns.append((name, _text(doc, path, line, f"the description of column {name!r}")))
    return Header(title, description, parameters, tuple(columns), len(lines))


def _parameters(raw, lines: list[str], path: Path) -> tuple[ParameterDoc, ...]:
    start = _line_of(lines, "parameters") - 1
    if not isinstance(raw, dict):
        raise HeaderError(path, start + 1, "parameters must map each parameter name to kind, default, description")
    found = []
    for name, spec in raw.items():
        line = _line_of(lines, str(name), start)
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise HeaderError(path, line, f"parameter name {name!r} must be lower case letters, digits and _")
        if not isinstance(spec, dict):
            raise HeaderError(path, line, f"parameter {name!r} must have kind, default and description")
        unknown = sorted(set(spec) - _PARAMETER_KEYS)
        if unknown:
            raise HeaderError(
                path,
                line,
                f"parameter {name!r} has unknown key {unknown[0]!r}; valid keys: {', '.join(sorted(_PARAMETER_KEYS))}",
            )
        kind = spec.get("kind")
        if kind not in KINDS:
            raise HeaderError(path, line, f"parameter {name!r} has kind {kind!r}; valid kinds: {', '.join(KINDS)}")
        if "default" not in spec:
            raise HeaderError(path, line, f"parameter {name!r} needs a default (null when it is optional)")
        default = spec["default"]
        if isinstance(default, bool):
            default = "true" if default else "false"
        elif default is not None:
            default = str(default)
        rdf_class = spec.get("class")
        if rdf_class is not None and (
            kind not in ("iri", "string") or not isinstance(rdf_class, str) or not rdf_class.strip()
        ):
            raise HeaderError(
                path,
                line,
                f"parameter {name!r}: class is for iri and string parameters and names a class (rkg:Company)",
            )
        found.append(
            ParameterDoc(
                name,
                kind,
                default,
                _text(spec.get("description"), path, line, f"the description of parameter {name!r}"),
                rdf_class,
            )
        )
    return tuple(found)
