"""The schema of ``data/sources/manifest.yaml``: every field, its type and what values it may take, in one table.

Why a schema: the manifest is the one hand-written file every build reads first, and what it says becomes IRIs
(``id``), file paths (``file``) and code dispatch (``reader``). Unchecked, a source id with a space crashed the
build deep in IRI minting and ``sources: 5`` crashed it in a loop; now every problem is reported as
``manifest.yaml:LINE: FIELD: what is wrong`` before anything else runs (exit 2).

Adding a field is one line in :data:`FIELDS` (its name, whether it is required, its check) plus the attribute of
the same name on ``base.SourceSpec`` (a test keeps the two equal). The YAML is read with ``yaml.compose`` so each
value keeps the line it is written on, and a value YAML would silently turn into a number, a date or a boolean
(``id: 2023``, ``language: no``) is refused with a hint to quote it rather than converted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import PurePosixPath

import yaml

STRING_TAG = "tag:yaml.org,2002:str"
_IRI_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")  # RFC 3987 unreserved characters: safe in any IRI path
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")  # a BCP 47 tag's shape, as RDF language tags need
_PAPER_ID = re.compile(r"(arxiv|doi):\S+")  # what mapping/context.anchor_key looks papers up by


class ManifestError(Exception):
    """One problem in the manifest: its line, the field (or ``sources`` / the entry) and what is wrong."""

    def __init__(self, line: int, field: str, problem: str) -> None:
        field = field or "(empty key)"
        super().__init__(f"{line}: {field}: {problem}")
        self.line, self.field, self.problem = line, field, problem


Check = Callable[[str], str | None]  # a value -> None when valid, else what is wrong with it


def _text(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


def _iri_segment(value: str) -> str | None:
    if _IRI_SEGMENT.fullmatch(value):
        return None
    return (
        f"{value!r} cannot name an IRI: use letters, digits and '.', '_', '~', '-' only, starting with a "
        "letter or digit"
    )


def _relative_file(value: str) -> str | None:
    path = PurePosixPath(value)
    if not value.strip() or path.is_absolute() or ".." in path.parts or "\\" in value or "\x00" in value:
        return f"{value!r} must be the name of a file beside manifest.yaml (a relative path without '..')"
    return None


def _language(value: str) -> str | None:
    return None if _LANGUAGE.fullmatch(value) else f"{value!r} is not a language tag (BCP 47, e.g. en, zh, pt-BR)"


def _paper_id(value: str) -> str | None:
    return None if _PAPER_ID.fullmatch(value) else f"{value!r} must be 'arxiv:ID' or 'doi:DOI'"


@dataclass(frozen=True)
class Field:
    required: bool
    check: Check


# The manifest's fields: name -> (required?, check). The reader field is also checked against the registered readers.
FIELDS: dict[str, Field] = {
    "id": Field(True, _iri_segment),
    "title": Field(True, _text),
    "file": Field(True, _relative_file),
    "reader": Field(True, _text),
    "origin": Field(True, _text),
    "language": Field(True, _language),
    "contains": Field(True, _text),
    "describes_paper": Field(False, _paper_id),
    # Pedigree: upstream URL, commit or retrieval date, licence IRI, rights, sha256 (ingest/pedigree.py checks them
    # and the checksum on every build); a field not known is left out.
    "upstream": Field(False, _text),
    "commit": Field(False, _text),
    "retrieved": Field(False, _text),
    "license": Field(False, _text),
    "rights": Field(False, _text),
    "sha256": Field(False, _text),
}


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return {
        "tag:yaml.org,2002:int": "a number",
        "tag:yaml.org,2002:float": "a number",
        "tag:yaml.org,2002:bool": "a boolean",
        "tag:yaml.org,2002:null": "empty",
        "tag:yaml.org,2002:timestamp": "a date",
        STRING_TAG: "text",
    }.get(node.tag, f"a {node.tag}")


def _mapping(node: yaml.MappingNode, where: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """key -> (key node, value node); duplicate or non-text keys are errors (YAML would keep the last silently)."""
    found: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag != STRING_TAG:
            raise ManifestError(_line(key), where, f"keys must be field names, not {_kind(key)}")
        if key.value in found:
            raise ManifestError(
                _line(key), key.value, f"given twice in {where} (first on line {_line(found[key.value][0])})"
            )
        found[key.value] = (key, value)
    return found


def _entry(node: yaml.Node, number: int, readers: Collection[str]) -> tuple[int, dict[str, str]]:
    where = f"sources[{number}]"
    if not isinstance(node, yaml.MappingNode):
        raise ManifestError(_line(node), where, f"each source must be a mapping of fields, not {_kind(node)}")
    given = _mapping(node, where)
    for name, (key, _) in given.items():
        if name not in FIELDS:
            raise ManifestError(_line(key), name, f"unknown field in {where} (fields: {', '.join(FIELDS)})")
    values: dict[str, str] = {}
    for name, field in FIELDS.items():
        if name not in given:
            if field.required:
                raise ManifestError(_line(node), name, f"missing in {where} (required)")
            continue
        value = given[name][1]
        if not isinstance(value, yaml.ScalarNode) or value.tag != STRING_TAG:
            raise ManifestError(_line(value), name, f"must be text, not {_kind(value)} (quote the value)")
        problem = field.check(value.value)
        if problem is None and name == "reader" and value.value not in readers:
            problem = f"unknown reader {value.value!r} (known: {', '.join(sorted(readers))})"
        if problem:
            raise ManifestError(_line(value), name, problem)
        values[name] = value.value
    return _line(node), values


def parse_manifest(text: str, readers: Collection[str]) -> list[tuple[int, dict[str, str]]]:
    """(line, fields) of every source the manifest lists, checked against :data:`FIELDS`; :class:`ManifestError`
    for the first problem. A manifest without sources is an error: a build of nothing is not a build."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ManifestError(mark.line + 1 if mark else 1, "yaml", str(getattr(exc, "problem", None) or exc)) from None
    if root is None:
        raise ManifestError(1, "sources", "the manifest is empty: it must list the sources under 'sources:'")
    if not isinstance(root, yaml.MappingNode):
        raise ManifestError(
            _line(root), "sources", f"the manifest must be a mapping with 'sources:', not {_kind(root)}"
        )
    top = _mapping(root, "the manifest")
    for name, (key, _) in top.items():
        if name != "sources":
            raise ManifestError(_line(key), name, "unknown top-level field (the manifest has only 'sources')")
    if "sources" not in top:
        raise ManifestError(_line(root), "sources", "missing: list the sources under 'sources:'")
    sources = top["sources"][1]
    if not isinstance(sources, yaml.SequenceNode):
        raise ManifestError(_line(sources), "sources", f"must be a list of sources, not {_kind(sources)}")
    if not sources.value:
        raise ManifestError(_line(sources), "sources", "the list is empty: nothing to build")
    entries = [_entry(node, n, readers) for n, node in enumerate(sources.value, 1)]
    first: dict[str, int] = {}
    for line, values in entries:
        if values["id"] in first:
            raise ManifestError(
                line, "id", f"{values['id']!r} is already the id of the source on line {first[values['id']]}"
            )
        first[values["id"]] = line
    return entries
