"""Stage 6: validation of the built graph and of contributions against the shapes of shapes/."""
