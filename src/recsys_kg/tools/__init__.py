"""Tools around the pipeline: synthetic source lists at k times the seed's size for benchmarks."""
