"""`recsys-kg sources update SOURCE-ID FILE`: replace a source list with a newer version of it, and show what that
changes in the graph before anything is replaced.

Both versions are built in full (a list's change can merge or split papers other lists name), in a temporary
directory, and compared with `recsys-kg diff`. The new file must be readable by the source's reader and the new
graph must conform to the shapes; only then is the file copied over the old one and the manifest's pedigree
(sha256, and the commit or retrieval date) rewritten, each file atomically and the list first: an interruption
between the two leaves a checksum mismatch, which the next build reports (it never builds an unrecorded version).
"""

from __future__ import annotations

import datetime
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from recsys_kg.build.pipeline import build_dataset, write_outputs
from recsys_kg.ingest.base import SourceError, decode_source, load_manifest
from recsys_kg.ingest.pedigree import file_sha256, with_pedigree
from recsys_kg.outputs import atomic_write
from recsys_kg.publish.diff import diff_files

MANIFEST = "manifest.yaml"


@dataclass
class SourceUpdate:
    source_id: str
    changes: dict  # publish/diff.py's result, old -> new
    violations: list[str]  # SHACL violations of the new graph (then nothing is replaced)
    replaced: bool


def update_source(
    sources_dir: Path,
    curation_dir: Path,
    source_id: str,
    new_file: Path,
    *,
    commit: str | None = None,
    retrieved: str | None = None,
    upstream: str | None = None,
    dry_run: bool = False,
    contributions_dir: Path | None = None,
) -> SourceUpdate:
    """Build the graph with the current and with the new version of one list, diff them, and (unless
    ``dry_run`` or the new graph has violations) put the new version and its pedigree in place."""
    specs = {s.id: s for s in load_manifest(sources_dir)}
    spec = specs.get(source_id)
    if spec is None:
        raise SourceError(
            str(sources_dir / MANIFEST), 0, f"no source {source_id!r} (sources: {', '.join(sorted(specs))})"
        )
    decode_source(new_file)  # not text: SourceError with the line, before any build
    manifest_text = (sources_dir / MANIFEST).read_text(encoding="utf-8")
    fields = {
        "sha256": file_sha256(new_file),
        "commit": commit,
        "retrieved": retrieved or (None if commit else datetime.date.today().isoformat()),
    }
    if upstream:
        fields["upstream"] = upstream
    new_manifest = with_pedigree(manifest_text, source_id, **fields)
    with tempfile.TemporaryDirectory(prefix="recsys-kg-update-") as scratch:
        root = Path(scratch)
        candidate = root / "sources"
        shutil.copytree(sources_dir, candidate)
        shutil.copyfile(new_file, candidate / spec.file)
        (candidate / MANIFEST).write_text(new_manifest, encoding="utf-8")
        old_build = build_dataset(sources_dir, curation_dir, contributions_dir=contributions_dir)
        write_outputs(old_build, root / "old")
        del old_build
        new_build = build_dataset(candidate, curation_dir, contributions_dir=contributions_dir)
        violations = (
            [r.text_line() for r in new_build.validation.of_severity("Violation")] if new_build.validation else []
        )
        write_outputs(new_build, root / "new")
        del new_build
        changes = diff_files(root / "old" / "recsys-kg.nq", root / "new" / "recsys-kg.nq")
    replace = not dry_run and not violations
    if replace:
        atomic_write(sources_dir / spec.file, new_file.read_bytes())
        atomic_write(sources_dir / MANIFEST, new_manifest.encode("utf-8"))
    return SourceUpdate(source_id, changes, violations, replace)
