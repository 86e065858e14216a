"""Stage 3: entity resolution. Which entries describe the same paper (identifiers, normalized titles, curated decisions) and the candidates curators review."""
