"""The unedited contribution templates fail validation, each result naming the placeholder (PLACEHOLDER-001:
the «…» texts, PLACEHOLDER-002: the example identifier 2501.99999); filling them in clears both rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys_kg.validate.contributions import validate_contribution_files

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("template", ["TEMPLATE.ttl", "TEMPLATE.jsonld"])
def test_an_unedited_template_fails_naming_each_placeholder(seed_build_dir, template):
    report, errors = validate_contribution_files([ROOT / "contributions" / template], seed_build_dir / "recsys-kg.nq")
    assert not errors
    found = sorted((r.rule, r.severity, str(r.value)) for r in report.results if r.rule.startswith("PLACEHOLDER"))
    assert found == [
        ("PLACEHOLDER-001", "Violation", "«The title as printed on the paper»"),
        ("PLACEHOLDER-002", "Violation", "2501.99999"),
        ("PLACEHOLDER-002", "Violation", "https://arxiv.org/abs/2501.99999"),
    ]
    assert not report.conforms
    assert all(
        "2501.99999" in r.message or "«The title as printed on the paper»" in r.message
        for r in report.results
        if r.rule.startswith("PLACEHOLDER")
    )


def test_a_filled_in_template_has_no_placeholder_result(seed_build_dir, tmp_path):
    text = (ROOT / "contributions" / "TEMPLATE.ttl").read_text(encoding="utf-8")
    filled = tmp_path / "filled.ttl"
    filled.write_text(
        text.replace("«The title as printed on the paper»", "A Filled-In Title for a Test Paper").replace(
            "2501.99999", "2412.01234"
        ),
        encoding="utf-8",
    )
    report, errors = validate_contribution_files([filled], seed_build_dir / "recsys-kg.nq")
    assert not errors
    assert report.conforms, [r.text_line() for r in report.results]
    assert not [r for r in report.results if r.rule.startswith("PLACEHOLDER")]
