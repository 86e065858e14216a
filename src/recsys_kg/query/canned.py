"""The canned SPARQL queries (queries/<name>.rq) and how they run: catalogue, parameter binding, execution.

Parameters are bound as RDF terms, never pasted into the query text as the user typed them: each value is
parsed into a term of the parameter's kind (an IRI is validated, a string becomes a literal), then serialized
in N-Triples syntax (quotes, backslashes and newlines escaped) into a ``VALUES`` block inserted at the top of
the query's WHERE clause. The resulting text (`standalone_text`) is plain SPARQL 1.1 that runs unchanged in
any store (Oxigraph server, Jena, Virtuoso), and it is exactly what `run` executes here, so the embedded
engine and an external store answer the same query. Queries run on pyoxigraph: rdflib's engine measured
1,200-16,000x slower on the company query (../shared/perf-baseline.md).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from pathlib import Path

import pyoxigraph as ox

from recsys_kg import paths
from recsys_kg.query.header import KINDS, HeaderError, parse_header
from recsys_kg.rdf.namespaces import PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
# An IRI, a comment, a string (long forms first) or a run of anything else: enough of the SPARQL lexer to
# find code outside comments and strings.
_TOKEN = re.compile(
    r"""
    (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<code>[^<#"']+|[<"'])
""",
    re.VERBOSE | re.DOTALL,
)
_PARAMETER_VARIABLE = re.compile(r"[?$]_([A-Za-z0-9_]+)")
_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


Term = ox.NamedNode | ox.Literal  # what a parameter is bound to


class QueryError(Exception):
    """A query, parameter or dataset problem, with a message that says what is valid."""


@dataclass(frozen=True)
class Parameter:
    name: str
    default: str | None
    description: str
    kind: str  # one of query_header.KINDS
    rdf_class: str | None = None  # an iri parameter's class (full IRI): labels are looked up among its instances


@dataclass(frozen=True)
class QuerySpec:
    name: str
    path: Path
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    columns: tuple[str, ...]
    text: str  # the whole file: header comments and the query


@dataclass(frozen=True)
class QueryResult:
    columns: tuple[str, ...]
    rows: list[tuple]  # each cell a pyoxigraph term, or None when unbound


def code_spans(text: str) -> list[tuple[int, str]]:
    """(offset, text) of every stretch of query code outside comments, strings and IRIs."""
    return [(m.start(), m.group()) for m in _TOKEN.finditer(text) if m.lastgroup == "code"]


def where_brace(text: str) -> int:
    """Offset just after the ``{`` that opens the query's WHERE clause: the first brace outside comments,
    strings, IRIs and parentheses (a SELECT clause's expressions are parenthesized)."""
    depth = 0
    for offset, code in code_spans(text):
        for index, char in enumerate(code):
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
            elif char == "{" and depth == 0:
                return offset + index + 1
    raise QueryError("the query has no WHERE clause ('{' not found)")


def _query_form(text: str) -> str:
    code = " ".join(c for _, c in code_spans(text))
    code = re.sub(r"(?is)\b(PREFIX\s+\S*:|BASE)\s*", " ", code)
    match = re.search(r"(?i)\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", code)
    return match.group(1).upper() if match else ""


def load_spec(path: Path) -> QuerySpec:
    """One query file; HeaderError / QueryError naming the file and line when it is malformed."""
    name = path.stem
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read query file {path}: {exc}") from None
    if not _NAME.fullmatch(name):
        raise QueryError(f"{path}: query names are lower-case words joined by '-'")
    try:
        header = parse_header(text, path)
    except HeaderError as exc:
        raise QueryError(str(exc)) from None
    body_lines = text.splitlines()[header.lines :]
    body = "\n".join(body_lines)
    if _query_form(body) != "SELECT":
        raise QueryError(f"{path}:{header.lines + 1}: a canned query must be a SELECT query")
    declared = {p.name for p in header.parameters}
    for number, line in enumerate(body_lines, header.lines + 1):
        for _, code in code_spans(line):
            for used in _PARAMETER_VARIABLE.findall(code):
                if used not in declared:
                    raise QueryError(
                        f"{path}:{number}: ?_{used} is not a declared parameter "
                        f"(declared: {', '.join(sorted(declared)) or 'none'})"
                    )
    used = {u for _, code in code_spans(body) for u in _PARAMETER_VARIABLE.findall(code)}
    for parameter in header.parameters:
        if parameter.name not in used:
            raise QueryError(f"{path}: parameter {parameter.name!r} is declared but ?_{parameter.name} is not used")
    parameters = tuple(
        Parameter(p.name, p.default, p.description, p.kind, p.rdf_class and _class_iri(p.rdf_class, path))
        for p in header.parameters
    )
    columns = tuple(c for c, _ in header.columns)
    spec = QuerySpec(name, path, header.title, header.description, parameters, columns, text)
    for parameter_spec in parameters:
        if parameter_spec.default is not None:
            to_term(parameter_spec, parameter_spec.default)  # a bad default is the file's error, found when loading it
    return spec


def _class_iri(written: str, path: Path) -> str:
    try:
        return ox.NamedNode(expand_iri(written.strip())).value
    except ValueError:
        raise QueryError(
            f"{path}: parameter class {written!r} is not an IRI or a prefixed name with a project prefix"
        ) from None


def query_files(directory: Path | None = None) -> list[Path]:
    """The ``.rq`` files of the queries directory; none found is an error (QueryError), never an empty catalogue."""
    directory = directory or paths.queries_dir()
    files = sorted(directory.glob("*.rq")) if directory.is_dir() else []
    if not files:
        raise QueryError(f"{directory}: no canned queries (*.rq) found (pass --queries DIR or --home CHECKOUT)")
    return files


def query_names(directory: Path | None = None) -> list[str]:
    return [p.stem for p in query_files(directory)]


def catalogue(directory: Path | None = None) -> dict[str, QuerySpec]:
    """Every query in the directory, by name, from the files' headers."""
    return {path.stem: load_spec(path) for path in query_files(directory)}


def get_spec(name: str, directory: Path | None = None) -> QuerySpec:
    """One query by name (reads only that file); an unknown name lists the valid ones."""
    directory = directory or paths.queries_dir()
    path = directory / f"{name}.rq"
    if not _NAME.fullmatch(name) or not path.is_file():
        names = query_names(directory)
        raise QueryError(f"unknown query {name!r}{did_you_mean(name, names)}; valid queries: {', '.join(names)}")
    return load_spec(path)


def expand_iri(value: str) -> str:
    """``id:org/alibaba`` or ``id:org\\/alibaba`` (the form tables print, legal in SPARQL) -> the full IRI, for
    every project prefix; anything else unchanged."""
    prefix, colon, rest = value.partition(":")
    if colon and prefix in PREFIXES and not rest.startswith("//"):
        return str(PREFIXES[prefix]) + re.sub(r"\\(.)", r"\1", rest)
    return value


MAX_INTEGER_DIGITS = 19  # 2**63 has 19 digits; longer text is refused before int() (which stops at 4,300 digits)
MAX_SHOWN = 80  # characters of a bad value quoted back in an error message


def is_text(value: str) -> bool:
    """Whether ``value`` is Unicode text that can be written as UTF-8 (no lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown_value(value: str) -> str:
    """A value quoted for an error message: control characters escaped, an undecodable byte as \\xNN, long
    values cut."""
    cut = value if len(value) <= MAX_SHOWN else value[:MAX_SHOWN]
    shown = re.sub(r"\\udc([89a-f][0-9a-f])", r"\\x\1", repr(cut))
    return shown if cut is value else f"{shown}… ({len(value)} characters)"


def to_term(parameter: Parameter, value: str) -> ox.NamedNode | ox.Literal:
    """The RDF term a parameter value stands for, validated against the parameter's kind."""

    def invalid(why: str) -> QueryError:
        return QueryError(
            f"parameter {parameter.name!r} must be {KINDS[parameter.kind]}: {why} (got {shown_value(value)})"
        )

    if not is_text(value):  # a command-line byte that is not UTF-8 arrives as a lone surrogate (PEP 383)
        raise invalid("the value is not valid UTF-8 text")
    kind = parameter.kind
    if kind == "iri":
        try:
            return ox.NamedNode(expand_iri(value.strip()))
        except ValueError as exc:
            raise invalid(str(exc)) from None
    if kind == "integer":
        if not re.fullmatch(r"[+-]?[0-9]+", value.strip()):
            raise invalid("not a whole number")
        digits = value.strip().lstrip("+-").lstrip("0")
        if len(digits) > MAX_INTEGER_DIGITS or not -(2**63) <= int(value) < 2**63:  # int() only on short text
            raise invalid("out of range (stores keep integers in 64 bits)")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
    if kind == "boolean":
        if value.strip().lower() not in ("true", "false"):
            raise invalid("not true or false")
        return ox.Literal(value.strip().lower(), datatype=ox.NamedNode(XSD + "boolean"))
    if kind == "literal" and value.startswith('"'):
        try:
            triples = list(ox.parse(f"<urn:x> <urn:x> {value} .".encode(), format=ox.RdfFormat.N_TRIPLES))
        except SyntaxError as exc:
            raise invalid(f"not an N-Triples literal ({exc})") from None
        if len(triples) != 1 or not isinstance(triples[0].object, ox.Literal):
            raise invalid("not a single N-Triples literal")
        return triples[0].object
    return ox.Literal(value)


def bindings(spec: QuerySpec, params: Mapping[str, str] | None = None) -> dict[str, ox.NamedNode | ox.Literal]:
    """Parameter name -> term: the defaults, overridden by ``params``; parameters with neither are left out."""
    params = dict(params or {})
    check_names(spec, params)
    bound = {}
    for parameter in spec.parameters:
        value = params.get(parameter.name, parameter.default)
        if value is not None:
            bound[parameter.name] = to_term(parameter, value)
    return bound


def check_names(spec: QuerySpec, params: Mapping[str, str]) -> None:
    """QueryError for a parameter the query does not have, naming the closest and the valid ones."""
    unknown = sorted(set(params) - {p.name for p in spec.parameters})
    if unknown:
        valid = ", ".join(f"{p.name} ({p.kind})" for p in spec.parameters) or "none"
        raise QueryError(
            f"query {spec.name!r} has no parameter {shown_value(unknown[0])}"
            f"{did_you_mean(unknown[0], [p.name for p in spec.parameters])}; valid parameters: {valid}"
        )


def did_you_mean(name: str, names: Sequence[str]) -> str:
    """`` (did you mean 'x'?)`` for the names close to ``name`` or starting with it; empty when none is."""
    close = [n for n in names if n.startswith(name) and name] + difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    close = list(dict.fromkeys(close))[:3]
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""


def standalone_text(spec: QuerySpec, params: Mapping[str, str] | None = None) -> str:
    """The query with its parameters bound in an inline VALUES block (UNDEF for parameters without a value)."""
    return bound_text(spec, {name: [term] for name, term in bindings(spec, params).items()})


def bound_text(spec: QuerySpec, terms: Mapping[str, Sequence[Term]]) -> str:
    """The query with already-made terms bound: one VALUES row per combination, so a parameter given several
    terms (a method name several papers use) asks about each of them; a parameter left out is UNDEF."""
    if not spec.parameters:
        return spec.text
    variables = " ".join(f"?_{p.name}" for p in spec.parameters)
    columns = [[str(t) for t in terms[p.name]] if p.name in terms else ["UNDEF"] for p in spec.parameters]
    rows = " ".join(f"({' '.join(row)})" for row in product(*columns))
    at = where_brace(spec.text)
    return f"{spec.text[:at]}\n  VALUES ({variables}) {{ {rows} }}{spec.text[at:]}"


def select(store: ox.Store, text: str, **options: object) -> ox.QuerySolutions:
    """The solutions of a SELECT query (canned and internal queries are all SELECT; anything else is an error)."""
    answer = store.query(text, **options)  # type: ignore[arg-type]
    if not isinstance(answer, ox.QuerySolutions):
        raise QueryError("expected a SELECT query")
    return answer


def run(
    store: ox.Store,
    spec: QuerySpec,
    params: Mapping[str, str] | None = None,
    terms: Mapping[str, Sequence[Term]] | None = None,
) -> QueryResult:
    """Run a canned query: exactly `standalone_text(spec, params)` (or `bound_text(spec, terms)` when the
    terms were already resolved, by `query.lookup`) on the store."""
    text = bound_text(spec, terms) if terms is not None else standalone_text(spec, params)
    try:
        solutions = select(store, text)
    except SyntaxError as exc:
        raise QueryError(f"{spec.path}: not valid SPARQL: {exc}") from None
    columns = tuple(v.value for v in solutions.variables)
    if columns != spec.columns:
        raise QueryError(
            f"{spec.path}: the header lists columns {', '.join(spec.columns)} but the query returns "
            f"{', '.join(columns)}"
        )
    return QueryResult(columns, [tuple(solution) for solution in solutions])
