"""The Python API for notebooks and scripts: open the built graph, run canned or ad-hoc queries, look papers up.

    import recsys_kg
    kg = recsys_kg.open()
    kg.query("frozen-llm-industrial-by-company", company="Alibaba").to_pandas()

Documented, with examples that run as tests, in docs/python.md.
"""

from recsys_kg.api.kg import KG, Hit, Paper, QueryError, Result, open
from recsys_kg.api.paper import Claim

__all__ = ["KG", "Claim", "Hit", "Paper", "QueryError", "Result", "open"]
