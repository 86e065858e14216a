"""The lexical spaces of the XSD datatypes, one table for both places that check them (SHACL §4.2.2: a literal
whose lexical form is ill-formed for its datatype fails sh:datatype).

In SPARQL (:func:`sparql_check`) a literal as the store holds it is checked by a cast where Oxigraph implements
one (it also rejects ``2020-02-30``), else by the pattern and, for the integer types, the bounds. In Python
(:func:`holds`) a literal as the data wrote it is checked: those are the literals Oxigraph rewrote to a canonical
form (written.py), which it parsed, so the pattern, the bounds and the datatype IRI are what remains to check
(``"300"^^xsd:byte`` is stored as the integer 300; ``"55"^^xsd:int`` as ``"55"^^xsd:integer``). Datatypes not in
the table (``xsd:string``, ``xsd:anyURI``, other vocabularies') have no lexical check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_TZ = "(Z|[+-][0-9][0-9]:[0-9][0-9])?"
_DAY = "(0[1-9]|[12][0-9]|3[01])"
_MONTH = "(0[1-9]|1[0-2])"
_TIME = "([01][0-9]|2[0-4]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?"
_DECIMAL = "[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)"
_INTEGER = "[+-]?[0-9]+"


@dataclass(frozen=True)
class Lexical:
    """A datatype's lexical space: a pattern (the common subset of XPath and Python regular expressions), the
    bounds of an integer type, and whether Oxigraph can cast to it (checking the value, not only the form)."""

    pattern: str
    low: int | None = None
    high: int | None = None
    cast: bool = False


def _integer(low: int | None, high: int | None) -> Lexical:
    return Lexical(_INTEGER, low, high)


LEXICAL: dict[str, Lexical] = {
    XSD + name: lexical
    for name, lexical in {
        "boolean": Lexical("true|false|1|0", cast=True),
        "decimal": Lexical(_DECIMAL, cast=True),
        "integer": Lexical(_INTEGER, cast=True),
        "double": Lexical(f"{_DECIMAL}([eE][+-]?[0-9]+)?|[+-]?INF|NaN", cast=True),
        "float": Lexical(f"{_DECIMAL}([eE][+-]?[0-9]+)?|[+-]?INF|NaN", cast=True),
        "dateTime": Lexical(f"-?[0-9][0-9][0-9][0-9]+-{_MONTH}-{_DAY}T{_TIME}{_TZ}", cast=True),
        "date": Lexical(f"-?[0-9][0-9][0-9][0-9]+-{_MONTH}-{_DAY}{_TZ}", cast=True),
        "time": Lexical(f"{_TIME}{_TZ}", cast=True),
        "gYear": Lexical(f"-?[0-9][0-9][0-9][0-9]+{_TZ}", cast=True),
        "gYearMonth": Lexical(f"-?[0-9][0-9][0-9][0-9]+-{_MONTH}{_TZ}", cast=True),
        "gMonth": Lexical(f"--{_MONTH}{_TZ}", cast=True),
        "gDay": Lexical(f"---{_DAY}{_TZ}", cast=True),
        "gMonthDay": Lexical(f"--{_MONTH}-{_DAY}{_TZ}", cast=True),
        "duration": Lexical(
            "-?P([0-9]+Y)?([0-9]+M)?([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+(\\.[0-9]+)?S)?)?", cast=True
        ),
        "long": _integer(-(2**63), 2**63 - 1),
        "int": _integer(-(2**31), 2**31 - 1),
        "short": _integer(-(2**15), 2**15 - 1),
        "byte": _integer(-(2**7), 2**7 - 1),
        "nonNegativeInteger": _integer(0, None),
        "positiveInteger": _integer(1, None),
        "nonPositiveInteger": _integer(None, 0),
        "negativeInteger": _integer(None, -1),
        "unsignedLong": _integer(0, 2**64 - 1),
        "unsignedInt": _integer(0, 2**32 - 1),
        "unsignedShort": _integer(0, 2**16 - 1),
        "unsignedByte": _integer(0, 2**8 - 1),
        "hexBinary": Lexical("([0-9a-fA-F][0-9a-fA-F])*"),
        "language": Lexical("[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*"),
    }.items()
}


def holds(literal: ox.NamedNode | ox.BlankNode | ox.Literal, datatype: str) -> bool:
    """Whether a term, as written, satisfies ``sh:datatype datatype``."""
    if not isinstance(literal, ox.Literal):
        return False
    if datatype == LANG_STRING:
        return bool(literal.language)
    if literal.language or literal.datatype.value != datatype:
        return False
    lexical = LEXICAL.get(datatype)
    if lexical is None:
        return True
    if re.fullmatch(lexical.pattern, literal.value) is None:
        return False
    if lexical.low is not None and int(literal.value) < lexical.low:
        return False
    return lexical.high is None or int(literal.value) <= lexical.high


def sparql_check(v: str, datatype: str) -> str:
    """A SPARQL expression true when the literal in ``v``, as the store holds it, has a well-formed lexical form for
    ``datatype`` (its datatype IRI is checked separately)."""
    lexical = LEXICAL.get(datatype)
    if lexical is None:
        return "true"
    if lexical.cast:
        return f"COALESCE(isLiteral(<{datatype}>(STR({v}))), false)"
    checks = [f"REGEX(STR({v}), {ox.Literal('^(' + lexical.pattern + ')$')})"]
    number = f"<{XSD}integer>(STR({v}))"
    if lexical.low is not None:
        checks.append(f"{number} >= {lexical.low}")
    if lexical.high is not None:
        checks.append(f"{number} <= {lexical.high}")
    return "COALESCE(" + " && ".join(checks) + ", false)"
