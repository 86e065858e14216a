"""Stage 2 (leaves of the pipeline): identifier parsing and the curated normalization tables (strategies, backbones, venues, organizations)."""
