"""Stage 4: records to quads. Each entry's statements go into its source's named graph with the entry as provenance."""
