"""The build as a whole: byte-identical rebuilds, stable IRIs, all-or-nothing outputs, clear errors on bad
sources, and facts checked by hand against the source lists (each test names the line it comes from)."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from recsys_kg import paths
from recsys_kg.build.pipeline import build_dataset, write_outputs
from recsys_kg.cli.main import main
from recsys_kg.ingest.pedigree import record_checksums
from recsys_kg.outputs import STAGING

ID = "https://w3id.org/recsys-kg/id/"
RKG = "https://w3id.org/recsys-kg/ontology#"
OUTPUTS = ("recsys-kg.nq", "recsys-kg.trig", "ontology.ttl", "report.json", "report.txt")


def digests(directory: Path) -> dict[str, str]:
    return {name: hashlib.sha256((directory / name).read_bytes()).hexdigest() for name in OUTPUTS}


def ask(store: ox.Store, pattern: str) -> bool:
    return bool(store.query(f"PREFIX rkg: <{RKG}> PREFIX id: <{ID}> ASK {{ GRAPH ?g {{ {pattern} }} }}"))


def test_rebuilds_are_byte_identical(seed_build_dir, tmp_path):
    write_outputs(build_dataset(), tmp_path)
    assert digests(tmp_path) == digests(seed_build_dir)


def test_each_source_has_its_own_named_graph(seed_build):
    graphs = set(seed_build.report["quads_by_graph"])
    for result in seed_build.sources:
        assert f"source/{result.spec.id}" in graphs


def test_stable_iris_from_best_identifier(seed_store):
    # s2-wu2023-llm4rec-survey.md:15 (DOI 10.48550/arXiv.2305.19860) and awesome list line 7 (arxiv.org/pdf/2305.19860)
    assert ask(seed_store, "<https://w3id.org/recsys-kg/id/paper/arxiv-2305.19860> a rkg:Survey")
    # next-gen-llm-recsys-survey.md:61 "Harnessing Large Language Models for Text-Rich Sequential Recommendation",
    # only an ACM link: the IRI comes from the DOI
    assert ask(
        seed_store,
        '<https://w3id.org/recsys-kg/id/paper/doi-10.1145_3589334.3645358> rkg:doi "10.1145/3589334.3645358"',
    )


def test_zh_taxonomy_keeps_section_numbers(seed_store):
    # llm4rec-paper-list.zh.md:67 <h4 id="1.1.1">1.1.1 User- and Item-level Feature Augmentation</h4>
    assert ask(
        seed_store,
        """<https://w3id.org/recsys-kg/id/concept/llm4rec-zh/1.1.1>
        <http://www.w3.org/2004/02/skos/core#prefLabel> "User- and Item-level Feature Augmentation"@en ;
        <http://www.w3.org/2004/02/skos/core#notation> "1.1.1" ;
        <http://www.w3.org/2004/02/skos/core#broader> <https://w3id.org/recsys-kg/id/concept/llm4rec-zh/1.1>""",
    )


def test_strategy_belongs_to_each_backbone_usage(seed_store):
    # awesome-llm-enhanced-recsys.md:24 ONCE "LLaMA-7B (F) + GPT-3.5 (N)": one tuned and one frozen usage
    base = f"{ID}entry/awesome-llm-enhanced/L24"
    rows = list(
        seed_store.query(f"""PREFIX rkg: <{RKG}>
        SELECT ?model ?strategy WHERE {{ GRAPH ?g {{ ?u rkg:statedIn <{base}> ; rkg:usesModel ?model ;
        rkg:tuningStrategy ?strategy }} }} ORDER BY ?model""")
    )
    assert [(r["model"].value, r["strategy"].value) for r in rows] == [
        (f"{ID}model/gpt-3.5", f"{ID}tuning/frozen"),
        (f"{ID}model/llama-7b", f"{ID}tuning/tuned"),
    ]


def test_compound_strategy_and_typo_backbone(seed_store):
    # llm4rec-paper-list.zh.md:76 LGIR "GhatGLM (6B)" | Frozen -> ChatGLM-6B, frozen
    assert ask(
        seed_store,
        f"""?u rkg:statedIn <{ID}entry/llm4rec-zh/L76> ; rkg:usesModel <{ID}model/chatglm-6b> ;
        rkg:tuningStrategy <{ID}tuning/frozen>""",
    )
    # llm4rec-paper-list.zh.md:161 TCF "OPT-175B (175B)" | "Frozen/ Full Finetuning": one usage, both strategies
    assert ask(
        seed_store,
        f"""?u rkg:statedIn <{ID}entry/llm4rec-zh/L161> ; rkg:usesModel <{ID}model/opt-175b> ;
        rkg:tuningStrategy <{ID}tuning/frozen>, <{ID}tuning/full-finetuning>""",
    )


def test_company_with_parent_and_chinese_summary(seed_store):
    # next-gen-llm-recsys-survey.md:348 SINGLE | Taobao, Alibaba -> deployed by Taobao, part of Alibaba
    assert ask(
        seed_store,
        f"?p rkg:deployedBy <{ID}org/taobao> ; rkg:proposesMethod ?m . ?m <http://www.w3.org/2000/01/rdf-schema#label> 'SINGLE'",
    )
    assert ask(seed_store, f"<{ID}org/taobao> <http://www.w3.org/ns/org#subOrganizationOf> <{ID}org/alibaba>")
    # llm4rec-paper-list.zh.md:79 HKFR: its Main Contributions are kept as Chinese prose
    assert ask(seed_store, f"<{ID}entry/llm4rec-zh/L79> rkg:describes ?p . ?p rkg:summary ?s FILTER(LANG(?s) = 'zh')")


def test_mojibake_is_repaired(seed_store):
    # awesome-llm-enhanced-recsys.md:15 "... Recsys â€“ the Industry Perspectives" (en dash mis-encoded)
    assert ask(seed_store, "?p <http://purl.org/dc/terms/title> ?t FILTER(CONTAINS(?t, 'Recsys \u2013 the Industry'))")
    assert not ask(seed_store, "?p <http://purl.org/dc/terms/title> ?t FILTER(CONTAINS(?t, '\u00e2\u20ac'))")


def copy_sources(tmp_path: Path) -> Path:
    target = tmp_path / "sources"
    shutil.copytree(paths.sources_dir(), target)
    return target


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args))


def test_binary_garbage_names_file_and_line(tmp_path):
    sources = copy_sources(tmp_path)
    path = sources / "awesome-llm-enhanced-recsys.md"
    head = path.read_bytes()[:200]
    path.write_bytes(head + b"\n\xff\xfe\x00garbage\n")
    bad_line = head.count(b"\n") + 2
    result = run_cli("build", "--sources", str(sources), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert f"awesome-llm-enhanced-recsys.md:{bad_line}: not UTF-8" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "recsys-kg.nq").exists()


def test_broken_table_and_unclosed_link_are_reported_with_lines(tmp_path):
    sources = copy_sources(tmp_path)
    awesome = sources / "awesome-llm-enhanced-recsys.md"
    lines = awesome.read_text(encoding="utf-8").split("\n")
    del lines[46]  # line 47: the delimiter row of the Interaction Enhancement table
    awesome.write_text("\n".join(lines), encoding="utf-8")
    short = sources / "next-gen-llm-recsys-survey.short.md"
    text = short.read_text(encoding="utf-8").replace(
        "(https://arxiv.org/abs/2402.13750)", "(https://arxiv.org/abs/2402.13750", 1
    )
    short.write_text(text, encoding="utf-8")
    record_checksums(sources)  # deliberately edited copies
    build = build_dataset(sources)
    rejected = {(r.source, r.line): r.reason for result in build.sources for r in result.rejections}
    assert "not part of a table" in rejected[("awesome-llm-enhanced", 46)]  # the header, now a stray line
    assert "not part of a table" in rejected[("awesome-llm-enhanced", 47)]  # its first row
    assert "unclosed or missing link" in rejected[("next-gen-survey-short", 22)]


@pytest.mark.parametrize(
    "manifest, message",
    [
        ("sources: [{id: x}]", "manifest.yaml:1: title: missing in sources[1]"),
        (
            "sources: [{id: x, title: t, file: missing.md, reader: next-gen-survey, origin: o, language: en, contains: c}]",
            "missing.md:0: cannot read",
        ),
        (
            "sources: [{id: x, title: t, file: next-gen-llm-recsys-survey.md, reader: nope, origin: o, language: en, contains: c}]",
            "unknown reader 'nope'",
        ),
        ("sources: [\n  - {id: x\n", "manifest.yaml"),
    ],
)
def test_bad_manifest_is_a_clear_error(tmp_path, manifest, message):
    sources = copy_sources(tmp_path)
    (sources / "manifest.yaml").write_text(manifest, encoding="utf-8")
    result = run_cli("build", "--sources", str(sources), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_killed_build_leaves_complete_old_or_new_outputs(tmp_path):
    """Kill `recsys-kg build` at many moments; afterwards the outputs are exactly the old set or the new set."""
    out = tmp_path / "out"
    old_sources = copy_sources(tmp_path)
    short = old_sources / "next-gen-llm-recsys-survey.short.md"
    short.write_text(short.read_text(encoding="utf-8").replace("2. [A Large", "2. [Another Large"), encoding="utf-8")
    record_checksums(old_sources)  # a deliberately edited copy
    write_outputs(build_dataset(old_sources), out)
    old = digests(out)
    new_dir = tmp_path / "new"
    write_outputs(build_dataset(), new_dir)
    new = digests(new_dir)
    assert old != new
    command = [sys.executable, "-m", "recsys_kg.cli.main", "build", "--quiet", "--out", str(out)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    seen = set()
    for delay in (0.4, 1.0, 1.6, 2.2, 2.8):
        process = subprocess.Popen(command, env=env)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        from recsys_kg.outputs import recover

        recover(out)
        state = digests(out)
        assert state in (old, new), f"mixed outputs after a kill at {delay} s"
        assert not (out / STAGING).exists()
        seen.add("new" if state == new else "old")
        if state == new:
            write_outputs(build_dataset(old_sources), out)
    assert "old" in seen


def test_shared_method_names_stay_distinct_methods(seed_build):
    """RecGPT names two papers (next-gen-llm-recsys-survey.md:284 and :285): two methods, both reported."""
    shared = seed_build.report["resolution"]["shared_method_names"]
    assert shared["recgpt"] == [f"{ID}paper/arxiv-2404.08675", f"{ID}paper/arxiv-2405.12715"]
    assert "chatgpt" not in shared  # a product name in a Name cell is not a method (llm4rec-paper-list.zh.md)


def test_same_paper_twice_in_one_list_keeps_both_entries(seed_store):
    """HKFR is listed in sections 1.1.1 (llm4rec-paper-list.zh.md:79) and 1.3.x (:234): one paper, two entries,
    each with its own line and position."""
    rows = list(
        seed_store.query(f"""PREFIX rkg: <{RKG}>
        SELECT ?line ?section WHERE {{ GRAPH ?g {{ ?e rkg:describes <{ID}paper/arxiv-2308.03333> ;
        rkg:fromSource <{ID}source/llm4rec-zh> ; rkg:lineNumber ?line ; rkg:inSection ?section }} }} ORDER BY ?line""")
    )
    assert [int(r["line"].value) for r in rows] == [79, 234]
    assert rows[0]["section"] != rows[1]["section"]


def test_collector_thresholds_are_restored_after_a_failed_build(tmp_path):
    """The build collects garbage rarely (build.rare_collections); a build that fails must not leave the
    calling process (a notebook, a test run) with those thresholds."""
    import gc

    from recsys_kg.ingest.base import SourceError

    sources = copy_sources(tmp_path)
    (sources / "manifest.yaml").write_text("sources: [{id: x}]", encoding="utf-8")
    before = gc.get_threshold()
    with pytest.raises(SourceError):
        build_dataset(sources)
    assert gc.get_threshold() == before != (100_000, *before[1:])
