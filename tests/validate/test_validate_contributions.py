"""`recsys-kg validate FILE…` on contributions, in the context of the real seed build (tests/conftest.py), run
in-process through click. Each malformed contribution must give a clear message and the documented exit code:
2 for what cannot be read (with file, and line and column for syntax errors), 1 for violations, 0 otherwise.
The expected rules are the oracle (severity and rule id), not the wording.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from recsys_kg.cli.main import main

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "shapes" / "contributions"
EXAMPLES = ROOT / "contributions"

# file -> (exit code, {(severity, rule)} every result, warnings and infos included)
VALIDATED = {
    "valid.ttl": (0, set()),
    "year-as-plain-string.ttl": (1, {("Violation", "PAPER-020")}),
    "year-3024.ttl": (1, {("Violation", "PAPER-021")}),
    "doi-with-spaces.ttl": (1, {("Violation", "PAPER-012")}),
    "arxiv-id-with-version.ttl": (1, {("Violation", "PAPER-010")}),
    "unknown-strategy.ttl": (1, {("Violation", "USAGE-005")}),
    "unknown-model.ttl": (1, {("Violation", "USAGE-003")}),
    "unknown-category.ttl": (1, {("Violation", "PAPER-040")}),
    "duplicate-arxiv-id.ttl": (1, {("Violation", "DUP-001"), ("Warning", "CONTRIB-006")}),
    "duplicate-doi.ttl": (1, {("Violation", "DUP-002")}),
    "duplicate-title.ttl": (1, {("Violation", "DUP-003")}),
    "missing-title.ttl": (1, {("Violation", "CONTRIB-001")}),
    "missing-identifier.ttl": (1, {("Violation", "CONTRIB-002")}),
    "missing-category.ttl": (1, {("Violation", "CONTRIB-003")}),
    "usage-without-strategy.ttl": (1, {("Violation", "CONTRIB-005")}),
    "strategy-on-paper.ttl": (1, {("Violation", "USAGE-009")}),
    "iri-outside-namespace.ttl": (1, {("Violation", "IRI-001")}),
    "typo-property.ttl": (1, {("Violation", "NS-002")}),
    "typo-class.ttl": (1, {("Violation", "NS-001")}),
    "untyped-node.ttl": (1, {("Violation", "CONTRIB-009"), ("Violation", "SANITY-001")}),
    "defines-tuning-strategy.ttl": (1, {("Violation", "CONTRIB-008")}),
    "missing-year.ttl": (0, {("Warning", "CONTRIB-004")}),
    "iri-not-from-arxiv-id.ttl": (0, {("Warning", "CONTRIB-006")}),
}
# file -> text the error line must contain after "error: <file>" (":line:column" for syntax errors)
UNREADABLE = {
    "syntax-error.ttl": ":8:34: syntax error",
    "undefined-prefix.ttl": ":11:21: syntax error: The prefix venues: has not been declared",
    "relative-iri-without-base.ttl": ":6:1: syntax error",
    "syntax-error.jsonld": ":4:1: syntax error: Trailing commas",
    "remote-context.jsonld": ":2:3: syntax error: remote JSON-LD contexts are not loaded",
    "named-graph.nt": ":1:93: syntax error",
    "comments-only.ttl": ": the file contains no triples",
    "not-rdf.txt": ": unknown file type '.txt'",
}


@pytest.fixture(scope="module")
def graph(seed_build_dir: Path) -> Path:
    return seed_build_dir / "recsys-kg.nq"


def run(*args: str):
    return CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)


def shown(path: Path) -> str:
    """Files inside the project are named relative to it in messages (stable across checkouts)."""
    return str(path.relative_to(ROOT))


def rules_of(output: str) -> set[tuple[str, str]]:
    found = set()
    for line in output.splitlines():
        severity, rule, *_ = line.split(" ", 2)
        found.add((severity.capitalize(), rule))
    return found


@pytest.mark.parametrize("name", sorted(VALIDATED))
def test_contribution_gives_the_expected_rules_and_exit_code(graph: Path, name: str):
    code, rules = VALIDATED[name]
    result = run("--graph", str(graph), str(FIXTURES / name))
    assert result.exit_code == code, result.output
    assert rules_of(result.stdout) == rules
    for line in result.stdout.splitlines():  # SEVERITY rule-id file:line focus path: message
        assert f" {shown(FIXTURES / name)}:" in line and ": " in line.split(" ", 4)[4]


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_contribution_exits_2_naming_file_line_and_column(graph: Path, name: str):
    result = run("--graph", str(graph), str(FIXTURES / name))
    assert result.exit_code == 2
    assert f"error: {shown(FIXTURES / name)}{UNREADABLE[name]}" in result.stderr
    assert "Traceback" not in result.output


def test_empty_huge_binary_missing_and_directory_inputs_exit_2(graph: Path, tmp_path: Path):
    (tmp_path / "empty.ttl").write_bytes(b"")
    with open(tmp_path / "huge.ttl", "wb") as handle:  # 50 MB, sparse: never read
        handle.truncate(50 * 1000 * 1000)
    (tmp_path / "latin1.ttl").write_bytes('<https://x/s> <https://x/p> "caf\xe9" .\n'.encode("latin-1"))
    (tmp_path / "folder.ttl").mkdir()
    expected = {
        "empty.ttl": ": the file is empty",
        "huge.ttl": ": the file is 50.0 MB; a contribution must be at most 1024 KiB",
        "latin1.ttl": ":1:33: not UTF-8 text (byte 0xe9)",
        "missing.ttl": ": cannot read the file: No such file",
        "folder.ttl": ": not a regular file",
    }
    for name, message in expected.items():
        result = run("--graph", str(graph), str(tmp_path / name))
        assert result.exit_code == 2, name
        assert f"error: {tmp_path / name}{message}" in result.stderr, result.stderr


def test_unreadable_and_readable_files_together_report_both_and_exit_2(graph: Path):
    result = run("--graph", str(graph), str(FIXTURES / "syntax-error.ttl"), str(FIXTURES / "year-3024.ttl"))
    assert result.exit_code == 2
    assert rules_of(result.stdout) == {("Violation", "PAPER-021")}
    assert "syntax-error.ttl:8:34" in result.stderr


def test_two_contributions_of_one_paper_are_duplicates_of_each_other(graph: Path, tmp_path: Path):
    text = (FIXTURES / "valid.ttl").read_text(encoding="utf-8")
    (tmp_path / "a.ttl").write_text(text, encoding="utf-8")
    (tmp_path / "b.ttl").write_text(
        text.replace("paper/arxiv-2501.99998>", "paper/arxiv-2501.99997>"), encoding="utf-8"
    )
    result = run("--graph", str(graph), str(tmp_path / "a.ttl"), str(tmp_path / "b.ttl"))
    assert result.exit_code == 1
    assert ("Violation", "DUP-001") in rules_of(result.stdout) and ("Violation", "DUP-003") in rules_of(result.stdout)
    assert any(str(tmp_path / "b.ttl") in line for line in result.stdout.splitlines())


def test_warnings_fail_only_with_strict(graph: Path):
    assert run("--graph", str(graph), str(FIXTURES / "missing-year.ttl")).exit_code == 0
    assert run("--graph", str(graph), "--strict", str(FIXTURES / "missing-year.ttl")).exit_code == 1


def test_json_output_for_bots(graph: Path):
    result = run("--graph", str(graph), "--format", "json", str(FIXTURES / "unknown-strategy.ttl"))
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["conforms"] is False and document["exit_code"] == 1
    [only] = document["results"]
    assert only["rule"] == "USAGE-005" and only["severity"] == "Violation"
    assert only["focus"] == "https://w3id.org/recsys-kg/id/tuning/lorra"
    assert only["constraint"] == "SPARQLConstraintComponent" and only["line"] == 13
    assert "id:tuning/lorra is used as a tuning strategy" in only["message"]


def test_json_output_of_an_unreadable_file(graph: Path):
    result = run("--graph", str(graph), "--format", "json", str(FIXTURES / "syntax-error.ttl"))
    assert result.exit_code == 2
    [error] = json.loads(result.stdout)["errors"]
    assert (error["line"], error["column"]) == (8, 34)


def test_blank_nodes_are_reported_stably_at_the_line_that_refers_to_them(graph: Path):
    result = run("--graph", str(graph), str(FIXTURES / "usage-without-strategy.ttl"))
    [line] = result.stdout.splitlines()
    assert line.startswith(
        f"VIOLATION CONTRIB-005 {shown(FIXTURES / 'usage-without-strategy.ttl')}:7 _:1-b1 rkg:tuningStrategy: "
    )


def test_missing_built_graph_exits_2_with_what_to_do(tmp_path: Path):
    result = run("--graph", str(tmp_path / "nothing.nq"), str(FIXTURES / "valid.ttl"))
    assert result.exit_code == 2
    assert "run `recsys-kg build` first" in result.stderr


@pytest.mark.parametrize("example", ["new-paper.ttl", "new-paper.jsonld"])
def test_documented_examples_validate(graph: Path, example: str):
    assert run("--graph", str(graph), str(EXAMPLES / "examples" / example)).exit_code == 0


@pytest.mark.parametrize("template", ["TEMPLATE.ttl", "TEMPLATE.jsonld"])
def test_templates_parse_and_fail_only_on_their_placeholders(graph: Path, template: str):
    result = run("--graph", str(graph), str(EXAMPLES / template))
    assert result.exit_code == 1  # issue 16: an unedited template must not conform
    violations = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("VIOLATION ")]
    assert sorted(violations) == ["PLACEHOLDER-001", "PLACEHOLDER-002", "PLACEHOLDER-002"]


def test_documented_refused_example_is_a_duplicate_of_tallrec(graph: Path):
    result = run("--graph", str(graph), str(EXAMPLES / "examples" / "duplicate-of-tallrec.ttl"))
    assert result.exit_code == 1
    assert rules_of(result.stdout) == {("Violation", "DUP-003")}
    assert "id:paper/doi-10.1145_3604915.3608857" in result.stdout
