"""The Python API for notebooks and scripts: open the built graph, run canned or ad-hoc queries, look papers up."""
