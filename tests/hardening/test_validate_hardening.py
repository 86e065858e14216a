"""Issue 18, validate and query side: each reproducer is a test through the real CLI on the real seed build."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from recsys_kg.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = (ROOT / "contributions" / "examples" / "new-paper.ttl").read_text(encoding="utf-8")
TEMPLATE_JSONLD = json.loads((ROOT / "contributions" / "examples" / "new-paper.jsonld").read_text(encoding="utf-8"))
RKG_PREFIX = "@prefix rkg: <https://w3id.org/recsys-kg/ontology#> ."


@pytest.fixture(scope="module")
def graph(seed_build_dir: Path) -> Path:
    return seed_build_dir / "recsys-kg.nq"


def validate(graph: Path, path: Path):
    return CliRunner().invoke(main, ["validate", "--graph", str(graph), str(path)], catch_exceptions=False)


def rules(output: str) -> set[str]:
    return {line.split(" ")[1] for line in output.splitlines() if line.startswith(("VIOLATION", "WARNING", "INFO"))}


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_the_template_example_still_conforms(graph: Path, tmp_path: Path):
    assert validate(graph, write(tmp_path, "ok.ttl", TEMPLATE)).exit_code == 0


@pytest.mark.parametrize(
    "name,text,rule",
    [
        ("redeclared.ttl", TEMPLATE.replace(RKG_PREFIX, RKG_PREFIX + "\n@prefix rkg: <http://x/> ."), "SANITY-003"),
        ("namespace.ttl", TEMPLATE.replace("ontology#", "ontology/"), "SANITY-003"),
        (
            "axiom.ttl",
            "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            + TEMPLATE
            + "\nrkg:Paper rdfs:subClassOf owl:Nothing .\n",
            "SANITY-002",
        ),
        (
            "untyped.ttl",
            TEMPLATE.replace("a rkg:Paper", "a <http://example.org/Paper>").replace("a rkg:BackboneUsage ;", ""),
            "SANITY-001",
        ),
        ("null-context.jsonld", json.dumps({**TEMPLATE_JSONLD, "@context": None}), "SANITY-001"),
    ],
)
def test_a_contribution_the_shapes_cannot_see_into_fails_closed(
    graph: Path, tmp_path: Path, name: str, text: str, rule: str
):
    """151 fuzzed files exited 0 "conforms" though no shape applied to them."""
    result = validate(graph, write(tmp_path, name, text))
    assert result.exit_code == 1, result.output
    assert rule in rules(result.stdout)


def test_json_ld_nested_20000_levels_is_a_clear_error(graph: Path, tmp_path: Path):
    """It crashed the process (SIGSEGV after 46 s)."""
    path = write(tmp_path, "deep.jsonld", '{"http://x/p": ' * 20_000 + "{}" + "}" * 20_000)
    result = validate(graph, path)
    assert result.exit_code == 2
    assert ":1:1501: the JSON nests more than 100 levels" in result.stderr


def test_a_symlink_loop_is_exit_2(graph: Path, tmp_path: Path):
    loop = tmp_path / "loop.ttl"
    os.symlink(loop, loop)
    result = validate(graph, loop)
    assert result.exit_code == 2 and "cannot read the file" in result.stderr


def test_a_5000_digit_year_is_a_violation_without_a_logged_traceback(tmp_path: Path, graph: Path):
    path = write(tmp_path, "year.ttl", TEMPLATE.replace('"2025"^^xsd:gYear', "9" * 5000))
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "recsys_kg.cli.main", "validate", "--graph", str(graph), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "PAPER-020" in done.stdout


def test_a_byte_order_mark_in_turtle_is_accepted(graph: Path, tmp_path: Path):
    assert validate(graph, write(tmp_path, "bom.ttl", b"\xef\xbb\xbf" + TEMPLATE.encode())).exit_code == 0


@pytest.mark.parametrize(
    "text,where",
    [
        ('{"@id": 5, "http://x/p": "a"}', ":1:2:"),
        ('{"@id": "urn:a",\n "http://x/p": {"@value": "a", "@language": 5}}', ":2:32:"),
        ('{"@id": "x",\n "a": }', ":2:7:"),
    ],
)
def test_json_ld_errors_always_have_line_and_column(graph: Path, tmp_path: Path, text: str, where: str):
    result = validate(graph, write(tmp_path, "bad.jsonld", text))
    assert result.exit_code == 2 and where in result.stderr, result.stderr


def test_messages_carry_no_surrogates(graph: Path, tmp_path: Path):
    result = validate(graph, write(tmp_path, "surrogate.jsonld", '{"@id": "\\uD800", "http://x/p": "a"}'))
    assert result.exit_code == 2
    assert "U+D800" in result.stderr and "\\uD800" not in result.stderr


# ---- query parameters ----


@pytest.mark.parametrize(
    "param,message",
    [
        ("year=" + "9" * 4301, "out of range"),
        ("year=9223372036854775808", "out of range"),
        ("venue=id:venue/\udcff", "not valid UTF-8"),
    ],
)
def test_hostile_query_parameters_are_exit_2_with_a_message(graph: Path, param: str, message: str):
    result = CliRunner().invoke(main, ["query", "papers-by-venue-year", "--param", param, "--data", str(graph)])
    assert result.exit_code == 2 and message in result.output, result.output


def test_a_non_utf8_parameter_from_the_real_command_line(graph: Path):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "recsys_kg.cli.main", "query", "paper", "--param", b"q=\xff", "--data", str(graph)],
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 2 and b"not valid UTF-8" in done.stderr and b"Traceback" not in done.stderr


def _papers(count: int) -> str:
    import re

    head, body = (
        TEMPLATE[: TEMPLATE.index("<paper/arxiv-2501.99998>")],
        TEMPLATE[TEMPLATE.index("<paper/arxiv-2501.99998>") :],
    )
    body = re.sub(r"\s+", " ", re.sub(r"(?m)\s*#[^\n]*$", "", body))
    return head + "\n".join(
        body.replace("2501.99998", f"2501.{10000 + n}").replace("Example:", f"Example {n}:") for n in range(count)
    )


def test_a_file_of_thousands_of_papers_is_refused_with_a_clear_message(graph: Path, tmp_path: Path):
    """2,700 papers fit in the 1 MiB cap and took 14 s (5,000 smaller ones 10-16 s): now refused at once."""
    path = write(tmp_path, "import.ttl", _papers(2000))
    assert path.stat().st_size <= 1 << 20
    result = validate(graph, path)
    assert result.exit_code == 2 and "a contribution may describe at most 500" in result.stderr


def test_a_few_hundred_papers_still_validate(graph: Path, tmp_path: Path):
    result = validate(graph, write(tmp_path, "batch.ttl", _papers(200)))
    assert result.exit_code == 0, result.output


def test_a_sparql_query_that_is_not_utf8_is_exit_2(graph: Path):
    import subprocess
    import sys

    command = [sys.executable, "-m", "recsys_kg.cli.main", "sparql"]
    argument = subprocess.run(
        [*command, b'ASK { ?s ?p "\xff" }', "--data", str(graph)], capture_output=True, timeout=120
    )
    stdin = subprocess.run(
        [*command, "-", "--data", str(graph)], input=b'ASK { ?s ?p "\xff" }', capture_output=True, timeout=120
    )
    for done in (argument, stdin):
        assert done.returncode == 2 and b"not UTF-8" in done.stderr.replace(b"not valid UTF-8", b"not UTF-8")
        assert b"Traceback" not in done.stderr
