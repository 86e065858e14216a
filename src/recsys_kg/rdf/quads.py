"""The build's quads, kept in an Oxigraph store (in memory or on disk), and written from it in a stable order.

Why a store and not Python collections: the build needs its quads in a store anyway (reasoning, validation and the
metadata counts are SPARQL), and a second copy as Python objects doubled the build's memory (3.5 GB at 100x).
Mapping adds quads one at a time; they are buffered and bulk-loaded in batches, in the order they arrive (quads
that arrive entry by entry load faster than in hash order). The store removes duplicates.

A store keeps typed literals by value ("7.0"^^xsd:decimal comes back as "7"), while the outputs keep the lexical
form the mapping wrote. The few quads whose literal the store would rewrite are remembered as they were added
(a check per distinct typed literal, memoized) and written in that form.

Output order: each graph's quads are serialized as N-Quads by pyoxigraph (a chunk of quads per call) and the lines
sorted as bytes (UTF-8 keeps code-point order), graphs in the order of their names. Within one graph, the order of
the quads' N-Quads lines (``S P O G .``) is the order of (S, P, O): terms are separated by a space, and where one
term is a proper prefix of another (``"x"`` / ``"x"@en``, ``_:b1`` / ``_:b10``) the longer one continues with a
character above the space. The sorted lines are the N-Quads file and, parsed again, the quads in order for the
TriG writer, so only one graph's lines are in memory at a time.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

_CHUNK = 1 << 16  # quads buffered before a bulk load, serialized or lines written per call
Graph = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
Subject = ox.NamedNode | ox.BlankNode | ox.Triple
Object = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class Writable(Protocol):
    """Where N-Quads are written: a binary file, or anything with its write (graph_store.Hashing)."""

    def write(self, data: bytes, /) -> int: ...


_PLAIN = (
    ox.NamedNode("http://www.w3.org/2001/XMLSchema#string"),
    ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"),
)
_SCRATCH_S, _SCRATCH_P = ox.NamedNode("urn:x-recsys-kg:s"), ox.NamedNode("urn:x-recsys-kg:p")
_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


class QuadSet:
    """A set of quads in an Oxigraph store: in memory, or on disk at ``path`` (the build's persistent store)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.store = ox.Store(str(path)) if path is not None else ox.Store()
        self._pending: list[ox.Quad] = []
        self._as_written: dict[ox.Quad, dict[ox.Quad, None]] = {}  # stored quad -> the quads added as it

    def add(self, s: Subject, p: ox.NamedNode, o: Object, g: Graph) -> None:
        quad = ox.Quad(s, p, o, g)
        if type(o) is ox.Literal and o.language is None and o.datatype not in _PLAIN:
            stored = _stored_literal(o)
            if stored != o:
                self._remember(ox.Quad(s, p, stored, g), quad)
            elif quad in self._as_written:  # the stored form, added after a form it is kept as
                self._as_written[quad][quad] = None
        self._pending.append(quad)
        if len(self._pending) >= _CHUNK:
            self._flush()

    def update(self, quads: Iterable[ox.Quad]) -> None:
        for quad in quads:
            self.add(quad.subject, quad.predicate, quad.object, quad.graph_name)
        self._flush()

    def _remember(self, stored: ox.Quad, added: ox.Quad) -> None:
        """``added`` is kept as ``stored`` (its literal by value): write it as added. If the stored form itself
        was or is added too, it is written as well."""
        forms = self._as_written.setdefault(stored, {})
        if not forms and (
            stored in self._pending  # a scan, but such literals are rare (model sizes)
            or next(self.store.quads_for_pattern(*stored), None) is not None
        ):
            forms[stored] = None
        forms[added] = None

    def _flush(self) -> None:
        if self._pending:
            self.store.bulk_extend(self._pending)
            self._pending = []

    def close(self) -> None:
        """Flush and close an on-disk store (before its directory is moved); :meth:`reopen` gives it back."""
        self.flushed().flush()
        self.store = ox.Store()  # drops the last reference to the on-disk store, which closes it

    def reopen(self, store: ox.Store, path: Path | None) -> None:
        """Read the quads from ``store`` (at ``path``) from now on: the store :meth:`close` closed, moved."""
        self.store, self.path = store, path

    def flushed(self) -> ox.Store:
        """The store, with every quad added so far in it."""
        self._flush()
        return self.store

    def __len__(self) -> int:
        return len(self.flushed()) + sum(len(forms) - 1 for forms in self._as_written.values())

    def __iter__(self) -> Iterator[ox.Quad]:
        """Every quad, as it was added (literals in the form written)."""
        for quad in self.flushed().quads_for_pattern(None, None, None, None):
            forms = self._as_written.get(quad)
            if forms is None:
                yield quad
            else:
                yield from forms

    def with_predicate(self, predicate: ox.NamedNode) -> Iterator[tuple[Graph, list[ox.Quad]]]:
        """(graph, its quads with this predicate) for every graph that has some."""
        by_graph: dict[Graph, list[ox.Quad]] = {}
        for quad in self.flushed().quads_for_pattern(None, predicate, None, None):
            by_graph.setdefault(quad.graph_name, []).append(quad)
        yield from by_graph.items()

    def graphs(self) -> list[Graph]:
        """The graphs holding quads, in the order of the outputs (by name, the default graph by its text)."""
        store = self.flushed()
        graphs: list[Graph] = list(store.named_graphs())
        if next(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is not None:
            graphs.append(ox.DefaultGraph())
        return sorted(graphs, key=str)

    def sorted_lines(self) -> Iterator[tuple[Graph, list[bytes]]]:
        """Per graph, in :meth:`graphs` order: its quads' N-Triples lines (without line ends), sorted, with the
        literals as they were added. The store writes each graph's text itself (no Python object per quad)."""
        store = self.flushed()
        rewritten: dict[Graph, dict[bytes, list[bytes]]] = {}
        for stored, forms in self._as_written.items():
            rewritten.setdefault(stored.graph_name, {})[_triple_line(stored)] = [_triple_line(q) for q in forms]
        for graph in self.graphs():
            text = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
            assert text is not None  # no output file given: the bytes are returned
            lines = text.split(b"\n")[:-1]
            del text
            if graph in rewritten:
                lines = [form for line in lines for form in rewritten[graph].get(line, (line,))]
            lines.sort()
            yield graph, lines

    def write_nquads(self, handle: Writable) -> None:
        """Write every quad as N-Quads in the stable order of :meth:`sorted`, one graph's lines at a time."""
        for graph, lines in self.sorted_lines():
            end = b" .\n" if isinstance(graph, ox.DefaultGraph) else f" {graph} .\n".encode()
            for start in range(0, len(lines), _CHUNK):
                # N-Triples escapes line breaks in literals, so " .\n" occurs only where a line ends
                handle.write((b"\n".join(lines[start : start + _CHUNK]) + b"\n").replace(b" .\n", end))

    def sorted(self) -> list[ox.Quad]:
        """Quads in a stable order: by graph, then subject, predicate, object (N-Quads text)."""
        buffer = io.BytesIO()
        self.write_nquads(buffer)
        return list(ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_QUADS))

    def count_by_graph(self) -> dict[str, int]:
        rows = self.flushed().query(_COUNTS)
        assert isinstance(rows, ox.QuerySolutions)
        counts = {str(row["g"].value): int(row["n"].value) for row in rows}
        default = sum(1 for _ in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        if default:
            counts[""] = default
        return dict(sorted(counts.items()))


@functools.lru_cache(maxsize=1 << 16)
def _stored_literal(literal: ox.Literal) -> ox.Literal:
    """The literal as an Oxigraph store gives it back (typed literals are kept by value, in canonical form)."""
    scratch = ox.Store()
    scratch.add(ox.Quad(_SCRATCH_S, _SCRATCH_P, literal))
    return next(iter(scratch)).object


def _triple_line(quad: ox.Quad) -> bytes:
    """The N-Triples line of a quad's triple, without its line end."""
    text = ox.serialize([quad.triple], format=ox.RdfFormat.N_TRIPLES)
    assert text is not None  # no output file given: the bytes are returned
    return text.rstrip(b"\n")
