"""The canned SPARQL queries of queries/: their headers, parameters bound as RDF terms (names looked up in the
graph), the catalogue, paper search and result output."""
