"""Sources with a pedigree: the manifest records upstream, version, licence and checksum of every list; the build
checks the checksum and names the version it built; `recsys-kg sources update` replaces a list and shows what
changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from recsys_kg import paths
from recsys_kg.cli.main import main
from recsys_kg.ingest.base import load_manifest
from recsys_kg.ingest.pedigree import file_sha256, with_pedigree
from support import unavailable

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "sources"


def test_every_source_has_a_complete_pedigree_matching_its_file():
    for spec in load_manifest(paths.sources_dir()):
        assert spec.sha256 == file_sha256(paths.sources_dir() / spec.file), spec.id
        assert spec.commit or spec.retrieved, spec.id
        assert spec.rights, spec.id
        assert spec.upstream is None or spec.upstream.startswith("https://"), spec.id


def test_the_copies_are_the_shared_originals_byte_for_byte():
    if not SHARED.is_dir():
        unavailable(f"{SHARED} is missing: the original lists are laid beside the checkout (CI does so)")
    for spec in load_manifest(paths.sources_dir()):
        assert file_sha256(SHARED / spec.file) == spec.sha256, spec.file


def copy_sources(tmp_path: Path) -> Path:
    target = tmp_path / "sources"
    shutil.copytree(paths.sources_dir(), target)
    return target


def test_an_edited_list_stops_the_build_with_exit_2(tmp_path):
    sources = copy_sources(tmp_path)
    listed = sources / "llm4rec-paper-list.zh.md"
    listed.write_text(listed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--sources", str(sources), "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 2
    assert "llm4rec-paper-list.zh.md:0: checksum" in result.output and "sources update llm4rec-zh" in result.output
    assert not (tmp_path / "out").exists()


def test_a_missing_checksum_is_an_error_naming_the_source(tmp_path):
    sources = copy_sources(tmp_path)
    manifest = sources / "manifest.yaml"
    manifest.write_text(with_pedigree(manifest.read_text(encoding="utf-8"), "s2-wu2023", sha256=None), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--sources", str(sources), "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 2 and "source s2-wu2023: sha256 must be" in result.output


def test_the_report_names_the_version_built(seed_build):
    for spec in load_manifest(paths.sources_dir()):
        reported = seed_build.report["sources"][spec.id]
        assert (reported["version"], reported["sha256"], reported["upstream"]) == (
            f"retrieved {spec.retrieved}",
            spec.sha256,
            spec.upstream,
        )


def test_with_pedigree_rewrites_one_source_and_keeps_the_rest():
    text = (paths.sources_dir() / "manifest.yaml").read_text(encoding="utf-8")
    changed = with_pedigree(text, "awesome-llm-enhanced", commit="abc1234", retrieved=None)
    before, after = yaml.safe_load(text)["sources"], yaml.safe_load(changed)["sources"]
    assert [s for s in after if s["id"] != "awesome-llm-enhanced"] == [
        s for s in before if s["id"] != "awesome-llm-enhanced"
    ]
    (awesome,) = [s for s in after if s["id"] == "awesome-llm-enhanced"]
    assert (awesome["commit"], awesome.get("retrieved")) == ("abc1234", None)  # None: left out
    assert changed.splitlines()[:3] == text.splitlines()[:3]  # comments kept


def test_sources_update_replaces_the_list_and_shows_the_change(tmp_path):
    sources = copy_sources(tmp_path)
    newer = tmp_path / "newer.md"
    original = (sources / "next-gen-llm-recsys-survey.short.md").read_text(encoding="utf-8")
    newer.write_text(original.replace("[TRAWL: External", "[TRAWL: Externally"), encoding="utf-8")
    dry = CliRunner().invoke(
        main,
        [
            "sources",
            "update",
            "next-gen-survey-short",
            str(newer),
            "--sources",
            str(sources),
            "--commit",
            "0123abcd",
            "--dry-run",
        ],
    )
    assert dry.exit_code == 0, dry.output
    assert (sources / "next-gen-llm-recsys-survey.short.md").read_text(encoding="utf-8") == original
    result = CliRunner().invoke(
        main,
        [
            "sources",
            "update",
            "next-gen-survey-short",
            str(newer),
            "--sources",
            str(sources),
            "--commit",
            "0123abcd",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert '"claims changed": 1' in result.output
    assert "TRAWL: Externally Knowledge-Enhanced Recommendation with LLM Assistance" in result.output
    (spec,) = [s for s in load_manifest(sources) if s.id == "next-gen-survey-short"]
    assert (spec.sha256, spec.commit, spec.retrieved) == (file_sha256(newer), "0123abcd", None)
    assert (sources / spec.file).read_bytes() == newer.read_bytes()
    build = CliRunner().invoke(main, ["build", "--sources", str(sources), "--out", str(tmp_path / "out"), "--quiet"])
    assert build.exit_code == 0, build.output
    report = (tmp_path / "out" / "report.txt").read_text(encoding="utf-8")
    assert "next-gen-survey-short    commit 0123abcd" in report


def test_sources_update_refuses_an_unknown_source_or_a_binary_file(tmp_path):
    sources = copy_sources(tmp_path)
    newer = tmp_path / "newer.md"
    newer.write_text("# x\n", encoding="utf-8")
    unknown = CliRunner().invoke(main, ["sources", "update", "nope", str(newer), "--sources", str(sources)])
    assert unknown.exit_code == 2 and "no source 'nope'" in unknown.output
    newer.write_bytes(b"# x\n\xff\xfe binary")
    binary = CliRunner().invoke(main, ["sources", "update", "llm4rec-zh", str(newer), "--sources", str(sources)])
    assert binary.exit_code == 2 and "not UTF-8" in binary.output
    assert file_sha256(sources / "llm4rec-paper-list.zh.md") == file_sha256(
        paths.sources_dir() / "llm4rec-paper-list.zh.md"
    )
