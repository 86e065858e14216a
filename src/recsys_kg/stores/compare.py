"""Comparing query answers from different engines by value, as ../shared/stores.md §8 advises.

Engines may legitimately differ in the lexical form of the same value: Jena TDB2 writes ``"1000.0e0"`` where
Oxigraph writes ``"1000"``, Virtuoso returns ``COUNT`` as ``xsd:int`` where others say ``xsd:integer``, language
tags are case-insensitive, and blank node labels are local to each answer. Those are not differences. Anything
else is: a missing or extra row, another IRI, another string, another number. Rows are compared as multisets
(an engine may order ties differently).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {
    XSD + t
    for t in (
        "integer",
        "decimal",
        "double",
        "float",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}


def _number(text: str) -> str:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return text
    if not number.is_finite():
        return str(number)
    if number == number.to_integral_value() and abs(number) < 10**15:
        return str(int(number))
    return format(number, ".12g")


def value_of(term: object) -> tuple | None:
    """A key equal for two terms exactly when they denote the same value (for this comparison's purposes)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("blank",)
    if isinstance(term, ox.Literal):
        if term.language:
            return ("lang", term.value, term.language.lower())
        datatype = term.datatype.value
        if datatype in NUMERIC:
            return ("number", _number(term.value))
        if datatype == XSD + "boolean":
            return ("boolean", term.value.strip() in ("true", "1"))
        if datatype == XSD + "string":
            return ("string", term.value)
        return ("typed", datatype, term.value)
    return ("other", str(term))


def by_value(rows: Iterable[Sequence]) -> Counter:
    return Counter(tuple(value_of(cell) for cell in row) for row in rows)


def _show(key: tuple) -> str:
    return " | ".join("UNBOUND" if cell is None else ":".join(map(str, cell[1:])) or cell[0] for cell in key)


def differences(expected: Iterable[Sequence], actual: Iterable[Sequence], limit: int = 8) -> list[str]:
    """Human-readable differences (``missing: …`` / ``extra: …``); empty when the answers agree by value."""
    want, got = by_value(expected), by_value(actual)
    missing, extra = want - got, got - want
    lines = [f"missing ({n}x): {_show(k)}" for k, n in sorted(missing.items(), key=str)[:limit]]
    lines += [f"extra ({n}x): {_show(k)}" for k, n in sorted(extra.items(), key=str)[:limit]]
    if sum(missing.values()) + sum(extra.values()) > len(lines):
        lines.append(f"… {sum(missing.values())} missing and {sum(extra.values())} extra rows in all")
    return lines
