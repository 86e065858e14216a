"""The query catalogue (queries/README.md and `recsys-kg query --list`), generated from the queries' headers.

The README is never edited by hand: tests/test_query_catalogue.py fails when it differs from what
`catalogue_markdown` generates, and `recsys-kg query --list --format markdown > queries/README.md`
regenerates it.
"""

from __future__ import annotations

from pathlib import Path

from recsys_kg.query.canned import QuerySpec, catalogue
from recsys_kg.query.header import KINDS, ParameterDoc, parse_header

INTRO = """# Canned queries

Generated from the `#+` headers of the `.rq` files by `recsys-kg query --list --format markdown > queries/README.md`;
do not edit by hand (a test checks it is up to date).

Each file is one standard SPARQL 1.1 SELECT query. Its header lines are SPARQL comments holding YAML: a
title, a description of exactly what the query answers, its parameters and the columns it returns. Every
graph pattern names its graph (`GRAPH <…/graph/inferred>` or `GRAPH ?g`), so a query gives the same answer in
any store holding the exported dataset as named graphs (Oxigraph, Jena, Virtuoso), and the inferred graph the
build materializes travels with the dataset, so no reasoner is needed there.

A parameter `name` is the variable `?_name` in the query. `recsys-kg query NAME --param name=VALUE` binds it
as an RDF term in a `VALUES` block at the top of the WHERE clause (never by pasting text into the query);
`--text` prints that standalone query for another store. Without a value a parameter is `UNDEF`, which the
query reads as "no restriction". A parameter with a class also takes a name (`company=Alibaba`, `strategy=LoRA`,
`venue=RecSys`; a paper by any identifier form, link, title words or method name), looked up in the graph and
bound as the IRIs it names; an unknown or ambiguous name is an error listing the closest. Parameter kinds:

{kinds}

Run `recsys-kg query --list` for the short list, `recsys-kg query NAME` to run one on `build/recsys-kg.nq`.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _kind(parameter: ParameterDoc) -> str:
    """``iri`` or ``iri, or a name of a `rkg:Company```: a parameter with a class also takes names."""
    if parameter.rdf_class is None:
        return parameter.kind
    return f"{parameter.kind}, or a name of a `{parameter.rdf_class}`"


def query_section(spec: QuerySpec) -> str:
    header = parse_header(spec.text, spec.path)
    lines = [
        f"## {spec.name}",
        "",
        f"**{spec.title}** — [`{spec.path.name}`]({spec.path.name})",
        "",
        spec.description,
        "",
        f"    recsys-kg query {spec.name}",
        "",
    ]
    if header.parameters:
        lines += ["| parameter | kind | default | meaning |", "|---|---|---|---|"]
        lines += [
            f"| `{p.name}` | {_kind(p)} | {'`' + p.default + '`' if p.default is not None else '(none)'} | "
            f"{_cell(p.description)} |"
            for p in header.parameters
        ]
        lines.append("")
    lines += ["| column | holds |", "|---|---|"]
    lines += [f"| `{name}` | {_cell(doc)} |" for name, doc in header.columns]
    lines.append("")
    return "\n".join(lines)


def catalogue_markdown(directory: Path | None = None) -> str:
    specs = catalogue(directory)
    kinds = "\n".join(f"- `{k}`: {v}" for k, v in KINDS.items())
    index = [f"- [`{name}`](#{name}): {spec.title}" for name, spec in specs.items()]
    sections = [query_section(spec) for spec in specs.values()]
    return INTRO.format(kinds=kinds) + "\n" + "\n".join(index) + "\n\n" + "\n".join(sections)


def catalogue_table(directory: Path | None = None) -> str:
    """The short list for a terminal: name, title, parameters."""
    specs = catalogue(directory)
    width = max((len(n) for n in specs), default=0)
    lines = []
    for name, spec in specs.items():
        lines.append(f"{name.ljust(width)}  {spec.title}")
        for p in spec.parameters:
            default = f" (default {p.default})" if p.default is not None else ""
            kind = f"{p.kind}|name" if p.rdf_class is not None else p.kind
            lines.append(f"{''.ljust(width)}    --param {p.name}=<{kind}>{default}")
    return "\n".join(lines) + "\n"


def catalogue_json(directory: Path | None = None) -> str:
    """The catalogue for programs: every query's metadata, as the headers give it."""
    import json

    entries = []
    for spec in catalogue(directory).values():
        header = parse_header(spec.text, spec.path)
        entries.append(
            {
                "name": spec.name,
                "title": spec.title,
                "description": spec.description,
                "file": spec.path.name,
                "parameters": [
                    {
                        "name": p.name,
                        "kind": p.kind,
                        "class": p.rdf_class,
                        "default": p.default,
                        "description": p.description,
                    }
                    for p in header.parameters
                ],
                "columns": [{"name": name, "description": doc} for name, doc in header.columns],
            }
        )
    return json.dumps(entries, ensure_ascii=False, indent=1) + "\n"
