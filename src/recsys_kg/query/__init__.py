"""The canned SPARQL queries of queries/: their headers, parameters bound as RDF terms, the catalogue and result output."""
