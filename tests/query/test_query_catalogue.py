"""queries/README.md is generated from the query headers and must be kept up to date."""

from __future__ import annotations

from recsys_kg import paths
from recsys_kg.query.canned import catalogue
from recsys_kg.query.catalogue import catalogue_markdown


def test_readme_is_up_to_date():
    readme = (paths.queries_dir() / "README.md").read_text(encoding="utf-8")
    assert readme == catalogue_markdown(), (
        "queries/README.md is stale: run `recsys-kg query --list --format markdown > queries/README.md`"
    )


def test_readme_documents_every_query_parameter_and_column():
    readme = (paths.queries_dir() / "README.md").read_text(encoding="utf-8")
    for name, spec in catalogue().items():
        section = readme.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]
        assert spec.description in section
        assert all(f"| `{p.name}` | {p.kind}" in section for p in spec.parameters)
        assert all(f"| `{column}` |" in section for column in spec.columns)
