"""The fuzzing harness (issue 18): hypothesis property tests over every input the project reads from people.

Properties, each over generated hostile inputs built from the real seed files (so they reach deep into the code,
not only the first syntax check):
- the readers, the manifest, the contribution reader and the query parameters raise nothing but the project's own
  error types (SourceError, ContributionError, QueryError): never a traceback;
- the commands exit 0, 1 or 2 as documented, and finish (a run over HANG_SECONDS is a hang);
- every reader is linear: an input ten times larger takes at most 15 times as long (plus a small constant for
  timer noise), measured here, on generated inputs;
- a failed build leaves the previous outputs byte-identical.
Budget and the longer run: conftest.py.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from hardening.conftest import FUZZ_EXAMPLES, TALLY
from recsys_kg import paths
from recsys_kg.cli.main import main
from recsys_kg.ingest import READERS, load_manifest
from recsys_kg.ingest.base import SourceError, read_source
from recsys_kg.ingest.manifest import ManifestError, parse_manifest
from recsys_kg.ingest.markdown_doc import inline_links, inline_text, parse_document
from recsys_kg.ingest.pedigree import record_checksums
from recsys_kg.query.canned import Parameter, QueryError, to_term
from recsys_kg.validate.input import ContributionError, read_contribution

HANG_SECONDS = 20
SOURCES = paths.sources_dir()
SPECS = {spec.id: spec for spec in load_manifest(SOURCES)}
SEED_TEXT = {spec.id: (SOURCES / spec.file).read_text(encoding="utf-8") for spec in SPECS.values()}
CONTRIBUTIONS = Path(__file__).resolve().parents[2] / "contributions"
TEMPLATES = {name: (CONTRIBUTIONS / "examples" / name).read_bytes() for name in ("new-paper.ttl", "new-paper.jsonld")}

# Pieces that matter to markdown, tables, links and line accounting, mixed with arbitrary text.
MARKDOWN_PIECES = [
    "\n",
    "\r",
    "\r\n",
    "\r\r\n",
    "|",
    " | ",
    "| :---: |",
    "|---|---|",
    "[",
    "]",
    "(",
    ")",
    "](",
    "[### ",
    '<h4 id="1.1">',
    "</h4>",
    "# ",
    "## ",
    "1. ",
    "- ",
    "* ",
    "`",
    "\\",
    "<",
    ">",
    "&amp;",
    "http://arxiv.org/abs/2305.19860",
    "'",
    "~",
    "✅",
    "中文",
    "\u00e2\u20ac\u201c",
    "\t",
    "    ",
    "\x0b",
    "\u2028",
    "\ufeff",
    "\ud7ff",
]
markdown_piece = st.one_of(st.sampled_from(MARKDOWN_PIECES), st.text(max_size=8))


@st.composite
def mutated_source(draw) -> tuple[str, str]:
    """(source id, text): a seed list cut, spliced with generated markdown, or with lines repeated."""
    source = draw(st.sampled_from(sorted(SPECS)))
    lines = SEED_TEXT[source].split("\n")
    start = draw(st.integers(0, len(lines)))
    stop = draw(st.integers(start, min(len(lines), start + 120)))
    chunk = lines[start:stop]
    action = draw(st.sampled_from(["splice", "repeat", "cut", "endings"]))
    if action == "splice" and chunk:
        at = draw(st.integers(0, len(chunk) - 1))
        chunk[at] = chunk[at][: draw(st.integers(0, len(chunk[at])))] + "".join(
            draw(st.lists(markdown_piece, max_size=12))
        )
    elif action == "repeat" and chunk:
        at = draw(st.integers(0, len(chunk) - 1))
        chunk[at:at] = [chunk[at]] * draw(st.integers(1, 50))
    text = "\n".join(chunk)
    if action == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    if action == "endings":
        text = text.replace("\n", draw(st.sampled_from(["\r", "\r\n", "\r\r\n", "\n\r"])))
    return source, text


def _read(source: str, text: str, directory: Path) -> None:
    spec = SPECS[source]
    (directory / spec.file).write_text(text, encoding="utf-8", newline="")
    read_source(spec, directory)


@given(mutated_source())
def test_readers_raise_only_source_errors(tmp_path_factory: pytest.TempPathFactory, case: tuple[str, str]):
    directory = tmp_path_factory.mktemp("fuzz-src", numbered=True)
    start = time.perf_counter()
    try:
        _read(*case, directory)
    except SourceError:
        pass
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    assert time.perf_counter() - start < HANG_SECONDS
    TALLY["source lists"] += 1


def _seconds(source: str, text: str) -> float:
    """CPU seconds of parse + reader, the best of three runs with the caches cleared (so each run does the work).
    CPU time, not wall time: the machine is shared, and another process's load is not this code's cost."""
    best = float("inf")
    for _ in range(3):
        inline_text.cache_clear()
        inline_links.cache_clear()
        start = time.process_time()
        list(READERS[SPECS[source].reader](SPECS[source], parse_document(text)))
        best = min(best, time.process_time() - start)
    return best


LINEAR_BASE_CHARS = 20_000  # inputs are repeated up to this size first: a tiny input measures only fixed costs


@settings(max_examples=max(10, FUZZ_EXAMPLES // 10))
@given(mutated_source())
def test_every_reader_is_linear(case: tuple[str, str]):
    """10x the input takes at most 15x the time (plus 50 ms of timer and allocator noise)."""
    source, text = case
    unit = text + "\n"
    base = unit * max(1, LINEAR_BASE_CHARS // len(unit))
    small = _seconds(source, base)
    large = _seconds(source, base * 10)
    assert large <= 15 * small + 0.05, f"{source}: {small:.4f} s -> {large:.4f} s for 10x the input"
    TALLY["linearity pairs"] += 1


yaml_scalar = st.one_of(
    st.text(max_size=20),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
    st.sampled_from(
        [
            "next-gen-survey",
            "a b",
            "llm4rec-zh",
            "../x",
            "/etc/passwd",
            "zh",
            "arxiv:1",
            "2023-01-01",
            "no",
            "~",
            "!!python/object:os.system",
            "*a",
            "&a x",
        ]
    ),
)


def _yaml_containers(inner: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4))


yaml_value = st.recursive(yaml_scalar, _yaml_containers, max_leaves=12)
MANIFEST_LINES = (SOURCES / "manifest.yaml").read_text(encoding="utf-8").split("\n")


@st.composite
def manifest_text(draw) -> str:
    """The real manifest with a line replaced by generated YAML, or a generated document altogether."""
    import yaml

    if draw(st.booleans()):
        lines = list(MANIFEST_LINES)
        at = draw(st.integers(0, len(lines) - 1))
        indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
        key = lines[at].strip().split(":", 1)[0].lstrip("- ") or "id"
        value = yaml.safe_dump(draw(yaml_value), default_flow_style=True).strip().replace("\n", " ")
        lines[at] = f"{indent}{draw(st.sampled_from([key, key, 'extra', '- id']))}: {value}"
        return "\n".join(lines)
    if draw(st.booleans()):
        return yaml.safe_dump({"sources": draw(yaml_value)})
    return draw(st.text(max_size=200))


@settings(max_examples=5 * FUZZ_EXAMPLES)  # cheap: five times the budget
@given(manifest_text())
def test_the_manifest_raises_only_manifest_errors(text: str):
    try:
        entries = parse_manifest(text, READERS)
    except ManifestError as exc:
        assert exc.line >= 1 and exc.field and exc.problem
    else:
        assert entries and all(set(values) >= {"id", "file", "reader"} for _, values in entries)
    TALLY["manifests"] += 1


@st.composite
def contribution_bytes(draw) -> tuple[str, bytes]:
    """(suffix, bytes): a contribution template with bytes cut, inserted or replaced, prefixes rebound, nesting."""
    name = draw(st.sampled_from(sorted(TEMPLATES)))
    data = TEMPLATES[name]
    action = draw(st.sampled_from(["cut", "insert", "replace", "rebind", "nest", "bom"]))
    at = draw(st.integers(0, len(data)))
    if action == "cut":
        data = data[:at] + data[draw(st.integers(at, len(data))) :]
    elif action == "insert":
        data = (
            data[:at]
            + draw(
                st.one_of(
                    st.binary(max_size=12),
                    st.sampled_from(
                        [
                            b"[",
                            b"{",
                            b'"\\uD800"',
                            b"@prefix rkg: <http://x/> .\n",
                            b"\xff",
                            b"\r",
                            b"\x00",
                            b"9" * 5000,
                            b"rkg:Paper rdfs:subClassOf owl:Nothing .\n",
                            b'"@context": null,',
                        ]
                    ),
                )
            )
            + data[at:]
        )
    elif action == "replace":
        data = data.replace(
            draw(st.sampled_from([b"ontology#", b"rkg:", b'"2025"', b"paper/", b"@context"])),
            draw(st.sampled_from([b"ontology/", b"rkh:", b"99999999999999999999", b"", b"@contex"])),
        )
    elif action == "rebind":
        data = data.replace(
            b"https://w3id.org/recsys-kg/ontology#",
            draw(
                st.sampled_from(
                    [b"http://x/", b"https://w3id.org/recsys-kg/ontology/", b"https://w3id.org/recsys-kg/id/"]
                )
            ),
            1,
        )
    elif action == "nest":
        depth = draw(st.integers(1, 3000))
        data = (
            (b'{"http://x/p": ' * depth + b"{}" + b"}" * depth)
            if name.endswith("jsonld")
            else (b"<urn:a> <urn:b> " + b"( " * depth + b")" * depth + b" .\n")
        )
    else:
        data = b"\xef\xbb\xbf" + data
    return Path(name).suffix, data


@settings(max_examples=5 * FUZZ_EXAMPLES)
@given(contribution_bytes())
def test_the_contribution_reader_raises_only_contribution_errors(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[str, bytes]
):
    suffix, data = case
    path = tmp_path_factory.mktemp("fuzz-contribution", numbered=True) / f"c{suffix}"
    path.write_bytes(data)
    try:
        read_contribution(path)
    except ContributionError as exc:
        str(exc).encode("utf-8")  # printable: no lone surrogates
    TALLY["contributions"] += 1


@pytest.fixture(scope="module")
def graph(seed_build_dir: Path) -> Path:
    return seed_build_dir / "recsys-kg.nq"


@settings(max_examples=max(10, FUZZ_EXAMPLES // 4))
@given(contribution_bytes())
def test_validate_exits_0_1_or_2(tmp_path_factory: pytest.TempPathFactory, graph: Path, case: tuple[str, bytes]):
    suffix, data = case
    path = tmp_path_factory.mktemp("fuzz-validate", numbered=True) / f"c{suffix}"
    path.write_bytes(data)
    start = time.perf_counter()
    result = CliRunner().invoke(main, ["validate", "--graph", str(graph), str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code in (0, 1, 2)
    if result.exit_code == 1:
        assert "VIOLATION" in result.stdout or "WARNING" in result.stdout
    assert time.perf_counter() - start < HANG_SECONDS
    TALLY["validate runs"] += 1


parameter_value = st.one_of(
    st.text(),
    st.text(alphabet="0123456789+-", min_size=1, max_size=6000),
    st.sampled_from(
        [
            "\udcff",
            "id:org/\udce4",
            '"x"@en',
            '"1"^^<http://x>',
            "<urn:x>",
            "id:",
            "true",
            "TRUE",
            "-0",
            "9" * 4301,
            '"unterminated',
            '"a" . } ; DROP ALL #',
        ]
    ),
)


@settings(max_examples=5 * FUZZ_EXAMPLES)
@given(st.sampled_from(["iri", "integer", "boolean", "literal", "string"]), parameter_value)
def test_query_parameters_raise_only_query_errors(kind: str, value: str):
    try:
        term = to_term(Parameter("p", None, "", kind), value)
    except QueryError as exc:
        str(exc).encode("utf-8")
    else:
        str(term).encode("utf-8")  # a bound term serializes as valid UTF-8 SPARQL
    TALLY["query parameters"] += 1


@settings(max_examples=FUZZ_EXAMPLES)
@given(
    st.sampled_from(["paper", "papers-by-venue-year", "citations", "papers-in-taxonomy"]),
    st.sampled_from(["q", "year", "venue", "paper", "label", "concept", "nope"]),
    parameter_value,
)
def test_query_command_exits_0_or_2(name: str, key: str, value: str):
    result = CliRunner().invoke(main, ["query", name, "--text", "--param", f"{key}={value}"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code in (0, 2)
    TALLY["query commands"] += 1


def _digest(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir()) if p.is_file()}


@settings(max_examples=max(5, FUZZ_EXAMPLES // 20))
@given(st.one_of(manifest_text().map(lambda text: ("manifest", text)), mutated_source()))
def test_a_failed_build_leaves_the_previous_outputs_byte_identical(
    tmp_path_factory: pytest.TempPathFactory, seed_build_dir: Path, case: tuple[str, str]
):
    root = tmp_path_factory.mktemp("fuzz-build", numbered=True)
    sources, out = root / "sources", root / "out"
    shutil.copytree(SOURCES, sources)
    shutil.copytree(seed_build_dir, out)
    what, text = case
    target = sources / ("manifest.yaml" if what == "manifest" else SPECS[what].file)
    target.write_text(text, encoding="utf-8", newline="")
    if what != "manifest":
        record_checksums(sources)  # the mutated list is the input under test, not a checksum mismatch
    before = _digest(out)
    start = time.perf_counter()
    result = CliRunner().invoke(main, ["build", "--sources", str(sources), "--out", str(out), "--quiet"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code in (0, 1, 2)
    assert time.perf_counter() - start < 5 * HANG_SECONDS
    if result.exit_code != 0:
        assert _digest(out) == before and not (out / ".staging").exists()
    shutil.rmtree(root, ignore_errors=True)
    TALLY["builds"] += 1
