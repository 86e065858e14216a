"""RDF plumbing every stage shares: namespaces, named graphs, terms, quad collections, serialization, the ontology, built-dataset reading."""
