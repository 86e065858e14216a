"""Where each page of the site lives: the path of a resource's page mirrors its IRI.

``https://w3id.org/recsys-kg/id/paper/arxiv-2305.19860`` has its page at ``id/paper/arxiv-2305.19860.html``, so
a server (or a w3id.org redirect) maps an IRI to its page by appending ``.html``, and a page's links are plain
relative paths that work from file:// and from any static host.
"""

from __future__ import annotations

from urllib.parse import quote

from recsys_kg.rdf.graphs import ID_BASE
from recsys_kg.rdf.namespaces import BASE

PAGE_SUFFIX = ".html"
SOURCES_DIR = "sources"


def page_path(iri: str) -> str:
    """The site-relative path of the page of an instance IRI (only those under ``id/`` have pages)."""
    if not iri.startswith(ID_BASE):
        raise ValueError(f"{iri}: only instances under {ID_BASE} have pages")
    return quote(iri[len(BASE) :], safe="/-._~") + PAGE_SUFFIX


def root_of(path: str) -> str:
    """The relative prefix from a page back to the site root (``../../`` for ``id/paper/x.html``)."""
    return "../" * path.count("/")


class Pages:
    """The set of pages the site has, so a link is written only to a page that exists."""

    def __init__(self, source_files: dict[str, str]) -> None:
        self.iris: set[str] = set()
        self.source_files = source_files  # source id -> file name

    def add(self, iri: str) -> str:
        path = page_path(iri)
        self.iris.add(iri)
        return path

    def href(self, iri: str) -> str | None:
        return page_path(iri) if iri in self.iris else None

    def source(self, source_id: str) -> str:
        return page_path(ID_BASE + "source/" + source_id)

    def source_line(self, source_id: str, line: int) -> str:
        return f"{SOURCES_DIR}/{self.source_files[source_id]}{PAGE_SUFFIX}#L{line}"
