"""Stage 5: OWL 2 RL reasoning into the inferred graph (SPARQL rules on Oxigraph; owlrl as the reference engine)."""
