"""recsys-kg: a provenance-tracked RDF knowledge graph of the literature on LLM-based recommender systems."""

__version__ = "0.1.0"
