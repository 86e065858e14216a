"""`recsys-kg render source`, in process (click's CliRunner) on the seed build: output, --out, exit codes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from recsys_kg.cli.main import main


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_prints_the_list_and_writes_it_with_out(seed_build_dir: Path, tmp_path: Path):
    data = seed_build_dir / "recsys-kg.nq"
    printed = invoke("render", "source", "llm4rec-zh", "--data", data)
    assert printed.exit_code == 0, printed.output
    # ZH:109-110 come back as two headings, ZH:146 NoteLLM's row with its cells as written
    headings = '<h3 id="1.2">1.2 LLM as Feature Encoder</h3>\n\n<h4 id="1.2.1">1.2.1 Representation Enhancement</h4>'
    assert headings in printed.output
    row = "| NoteLLM✅ | NoteLLM: A Retrievable Large Language Model for Note Recommendation | LLaMA2 (7B) |"
    assert row in printed.output
    out = tmp_path / "zh.md"
    written = invoke("render", "source", "llm4rec-zh", "--data", data, "--out", out)
    assert written.exit_code == 0 and written.output == ""
    assert out.read_text(encoding="utf-8") == printed.output
    assert not [p for p in tmp_path.iterdir() if p.name != "zh.md"]  # no temporary file left behind


def test_an_unknown_source_or_a_missing_dataset_is_exit_2(seed_build_dir: Path, tmp_path: Path):
    unknown = invoke("render", "source", "no-such-list", "--data", seed_build_dir / "recsys-kg.nq")
    assert unknown.exit_code == 2
    assert "no source 'no-such-list'" in unknown.output and "llm4rec-zh" in unknown.output
    missing = invoke("render", "source", "llm4rec-zh", "--data", tmp_path / "absent.nq")
    assert missing.exit_code == 2 and "does not exist" in missing.output
    assert "Traceback" not in unknown.output + missing.output
