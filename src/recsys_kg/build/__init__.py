"""Stage 7, the orchestrator: read every source, resolve, map, reason, validate, and write the outputs and report."""
