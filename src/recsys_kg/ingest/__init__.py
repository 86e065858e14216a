"""Readers, one per source format. Importing this package registers them all (see base.READERS)."""

from recsys_kg.ingest import awesome, llm4rec_zh, next_gen, semantic_scholar  # noqa: F401  (registration)
from recsys_kg.ingest.base import READERS, SourceError, SourceSpec, load_manifest, read_source

__all__ = ["READERS", "SourceError", "SourceSpec", "load_manifest", "read_source"]
