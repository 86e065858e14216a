"""A check that found nothing to check is an error (exit 2, naming what is missing and where it looked), never a
pass: no shapes, shapes files without a shape, no canned queries."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from recsys_kg.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
DUPLICATE = ROOT / "contributions" / "examples" / "duplicate-of-tallrec.ttl"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def no_shapes_here(tmp_path: Path) -> Path:
    empty = tmp_path / "shapes"
    empty.mkdir()
    return empty


@pytest.fixture
def shapeless(tmp_path: Path) -> Path:
    directory = tmp_path / "shapeless"
    directory.mkdir()
    (directory / "empty.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:x:a> <urn:x:b> 1 .\n")
    return directory


@pytest.mark.parametrize("fixture", ["no_shapes_here", "shapeless"])
def test_validating_a_contribution_without_shapes_exits_2(fixture, request, seed_build_dir: Path):
    shapes = request.getfixturevalue(fixture)
    result = invoke(
        "validate", str(DUPLICATE), "--graph", str(seed_build_dir / "recsys-kg.nq"), "--shapes", str(shapes)
    )
    assert result.exit_code == 2, result.output
    assert str(shapes) in result.output and "refusing to validate against nothing" in result.output
    assert "conforms" not in result.output


def test_validating_the_graph_without_shapes_exits_2(no_shapes_here: Path, seed_build_dir: Path):
    result = invoke("validate", "--graph", str(seed_build_dir / "recsys-kg.nq"), "--shapes", str(no_shapes_here))
    assert result.exit_code == 2 and "no SHACL shapes (*.ttl) found" in result.output


def test_the_same_contribution_with_the_shapes_is_a_violation(seed_build_dir: Path):
    result = invoke("validate", str(DUPLICATE), "--graph", str(seed_build_dir / "recsys-kg.nq"))
    assert result.exit_code == 1 and "VIOLATION DUP-003" in result.output


def test_building_without_shapes_exits_2_and_writes_nothing(no_shapes_here: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = invoke("build", "--quiet", "--shapes", str(no_shapes_here), "--out", str(out))
    assert result.exit_code == 2 and str(no_shapes_here) in result.output
    assert not out.exists()


@pytest.mark.parametrize("args", [["query", "--list"], ["query", "paper"], ["query"]])
def test_queries_without_a_query_directory_exit_2(args, tmp_path: Path):
    empty = tmp_path / "queries"
    empty.mkdir()
    result = invoke(*args, "--queries", str(empty))
    assert result.exit_code == 2, result.output
    assert "no canned queries (*.rq) found" in result.output and str(empty) in result.output


def test_a_home_without_the_curated_trees_fails_closed(tmp_path: Path):
    result = invoke("--home", str(tmp_path), "query", "--list")
    assert result.exit_code == 2 and str(tmp_path / "queries") in result.output
