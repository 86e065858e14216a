"""A query's answer for Python: rows of plain values, DataFrames on demand, BibTeX for its papers.

Cells become what a notebook expects: an IRI is its full ``str``; xsd:integer and xsd:gYear literals are ``int``;
decimal and double are ``float``; xsd:boolean is ``bool``; every other literal is its text; unbound is None.
The terms stay available as ``terms`` for callers that need datatypes or language tags.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from recsys_kg.query.bibtex import to_bibtex
from recsys_kg.query.canned import QueryResult
from recsys_kg.query.output import render

if TYPE_CHECKING:  # optional extras, imported only when asked for
    import pandas
    import polars

XSD = "http://www.w3.org/2001/XMLSchema#"
Value = str | int | float | bool | None
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger", "gYear")}
_FLOATS = {XSD + "decimal", XSD + "double", XSD + "float"}


def plain(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Value:
    """The Python value of one cell (see the module docstring)."""
    if term is None:
        return None
    if not isinstance(term, ox.Literal):
        return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"
    datatype = term.datatype.value
    try:
        if datatype in _INTEGERS:
            return int(term.value)
        if datatype in _FLOATS:
            return float(term.value)
    except ValueError:
        return term.value  # an ill-typed literal stays its text rather than failing the whole result
    if datatype == XSD + "boolean":
        return term.value in ("true", "1")
    return term.value


def _optional(module: str, extra: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(
            f"{module} is not installed; install it with `pip install 'recsys-kg[{extra}]'` (or `pip install {module}`)"
        ) from None


class Result:
    """The rows and columns of a SELECT query, with conversions. Iterating gives the rows."""

    def __init__(self, answer: QueryResult, store: ox.Store) -> None:
        self._answer = answer
        self._store = store
        self.columns: tuple[str, ...] = answer.columns
        self.rows: list[tuple[Value, ...]] = [tuple(plain(cell) for cell in row) for row in answer.rows]

    @property
    def terms(self) -> list[tuple]:
        """The rows as RDF terms (pyoxigraph), unbound cells None."""
        return self._answer.rows

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Value, ...]]:
        return iter(self.rows)

    def __repr__(self) -> str:
        return f"<Result {len(self.rows)} rows: {', '.join(self.columns)}>"

    def records(self) -> list[dict[str, Value]]:
        """One dict per row, column -> value."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def to_pandas(self) -> pandas.DataFrame:
        """A pandas DataFrame with the result's columns (needs the ``pandas`` extra)."""
        pd = _optional("pandas", "pandas")
        return pd.DataFrame.from_records(self.rows, columns=list(self.columns))

    def to_polars(self) -> polars.DataFrame:
        """A polars DataFrame with the result's columns (needs the ``polars`` extra); a column mixing kinds of
        values (int and str) is kept as text rather than refused."""
        pl = _optional("polars", "polars")
        return pl.DataFrame(
            [list(row) for row in self.rows],
            schema=list(self.columns),
            orient="row",
            strict=False,
            infer_schema_length=None,
        )

    def to_bibtex(self) -> str:
        """A BibTeX database of the papers in the result, keys stable across builds (`query.bibtex`)."""
        return to_bibtex(self._store, self._answer)

    def to_text(self, fmt: str = "table") -> str:
        """The result as `recsys-kg query --format FMT` prints it (table, csv, tsv, json, xml, markdown)."""
        return render(self._answer, fmt)
