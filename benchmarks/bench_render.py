"""Benchmarks of `render list` and `render site` on the seed graph (pytest-benchmark; in the normal suite each runs
once). Reference in the same run: reading the dataset with pyoxigraph alone. Target: the site in at most 5 s.
Larger scales: benchmarks/render_scale.py. Timings:

    .venv/bin/python -m pytest benchmarks/bench_render.py --benchmark-enable --benchmark-min-rounds=3
"""

from __future__ import annotations

import pyoxigraph as ox

from bench_query import seed_dataset
from recsys_kg import paths
from recsys_kg.render.catalogue import read_catalogue
from recsys_kg.render.merged_list import render_list
from recsys_kg.render.site import render_site


def test_read_dataset_reference(benchmark):
    nq = str(seed_dataset()[0])
    assert benchmark(lambda: sum(1 for _ in ox.parse(path=nq, format=ox.RdfFormat.N_QUADS))) > 20_000


def test_render_list(benchmark):
    text = benchmark(lambda: render_list(read_catalogue(seed_dataset()[0]), "taxonomy:next-gen-survey"))
    assert text.count("\n- ") > 300


def test_render_site(benchmark, tmp_path):
    def render():
        return render_site(
            read_catalogue(seed_dataset()[0]),
            tmp_path / "site",
            paths.sources_dir(),
            paths.queries_dir(),
            paths.shapes_dir() / "README.md",
        )

    assert benchmark(render).papers > 300
