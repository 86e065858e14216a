"""A SHACL Core engine: shapes compiled to SPARQL queries that return only violations, the results model, and
pySHACL as the reference."""
