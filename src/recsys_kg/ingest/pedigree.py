"""The pedigree of a source list: where it was published, which version the copy is, on what terms, and the
checksum of the copy. The build refuses a copy whose checksum differs from the manifest's (someone edited a file
that must stay verbatim, or replaced it without `recsys-kg sources update`), and the report names the version
it built, so anyone can tell which upstream state a graph reflects and refresh it.

Kept apart from the manifest's reading (base.py) on purpose: it is one check with one error, run on every build.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

from recsys_kg.ingest.base import SourceError, SourceSpec, load_manifest

PEDIGREE_FIELDS = ("upstream", "commit", "retrieved", "license", "rights", "sha256")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_COMMIT = re.compile(r"^[0-9a-f]{7,40}$")
_URL = re.compile(r"^https?://\S+$")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def version_of(spec: SourceSpec) -> str:
    """Which upstream state the copy is: 'commit abc1234' or 'retrieved 2026-11-22'."""
    return f"commit {spec.commit}" if spec.commit else f"retrieved {spec.retrieved}"


def check_pedigree(spec: SourceSpec, directory: Path, manifest: str = "manifest.yaml") -> str:
    """Raise SourceError (naming the manifest and the source) unless the pedigree is complete and the file's
    checksum is the manifest's; return the checksum."""
    where = str(directory / manifest)

    def wrong(message: str) -> SourceError:
        return SourceError(where, 0, f"source {spec.id}: {message}")

    if not spec.sha256 or not _SHA256.match(spec.sha256):
        raise wrong("sha256 must be the 64 lower-case hex digits of the file's SHA-256 (`sha256sum FILE`)")
    if spec.upstream is not None and not _URL.match(spec.upstream):
        raise wrong(f"upstream {spec.upstream!r} is not an http(s) URL (null when not known)")
    if spec.commit is not None and not _COMMIT.match(str(spec.commit)):
        raise wrong(f"commit {spec.commit!r} is not a git commit id (7 to 40 hex digits)")
    if spec.commit is None:
        try:
            date.fromisoformat(str(spec.retrieved))
        except ValueError:
            raise wrong("needs the upstream commit or the date it was retrieved (retrieved: YYYY-MM-DD)") from None
    if spec.license is not None and not _URL.match(spec.license):
        raise wrong(f"license {spec.license!r} must be the licence's IRI (null when the list states none)")
    if not spec.rights:
        raise wrong("rights must say on what terms the graph reuses the list (even when it states no licence)")
    try:
        actual = file_sha256(directory / spec.file)
    except OSError as exc:
        raise SourceError(str(directory / spec.file), 0, f"cannot read: {exc.strerror}") from None
    if actual != spec.sha256:
        raise SourceError(
            str(directory / spec.file),
            0,
            f"checksum {actual} is not the manifest's {spec.sha256} for source {spec.id}: the file "
            f"changed; sources are kept verbatim (use `recsys-kg sources update {spec.id} FILE` to "
            "replace one with a newer version)",
        )
    return actual


def with_pedigree(manifest_text: str, source_id: str, **fields: str | None) -> str:
    """The manifest's text with pedigree fields of one source set (each ``name: value`` line of that source's
    block replaced, or added at its end), everything else (comments, order, other sources) as it was."""
    unknown = set(fields) - set(PEDIGREE_FIELDS)
    if unknown:
        raise ValueError(f"not pedigree fields: {sorted(unknown)}")
    lines = manifest_text.splitlines(keepends=True)
    start = next(
        (i for i, line in enumerate(lines) if re.match(rf"^\s*- id:\s*{re.escape(source_id)}\s*$", line)), None
    )
    if start is None:
        raise ValueError(f"no source {source_id!r} in the manifest")
    indent = " " * (len(lines[start]) - len(lines[start].lstrip()) + 2)
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if re.match(r"^\s*- id:", lines[i])
            or (lines[i].strip() and not lines[i].startswith(indent) and not lines[i].startswith("#"))
        ),
        len(lines),
    )
    for name, value in fields.items():  # None: the field is left out (the manifest has no null values)
        at = next((i for i in range(start + 1, end) if lines[i].startswith(f"{indent}{name}:")), None)
        if value is None:
            if at is not None:
                del lines[at]
                end -= 1
            continue
        text = f"{indent}{name}: {_quoted(value)}\n"
        if at is None:
            lines.insert(end, text)
            end += 1
        else:
            lines[at] = text
    return "".join(lines)


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def record_checksums(directory: Path, manifest: str = "manifest.yaml") -> None:
    """Set every source's sha256 in the manifest to its file's current checksum (for a directory of lists that
    were generated or deliberately edited, such as synthetic copies or test fixtures)."""
    path = directory / manifest
    text = path.read_text(encoding="utf-8")
    for spec in load_manifest(directory):
        text = with_pedigree(text, spec.id, sha256=file_sha256(directory / spec.file))
    path.write_text(text, encoding="utf-8")
