"""Package data for the wheel: copies of the checkout's curated trees inside ``recsys_kg/_data/``.

People edit ``ontology/``, ``shapes/``, ``queries/`` and ``data/`` at the top of the checkout (the design card's
layout); an installed package needs them too, so ``build_py`` copies them into the package it builds, where
``recsys_kg.paths`` finds them with importlib.resources. A copy at build time, rather than moving the trees under
``src/``, keeps one place to edit and no symlinks (which wheels cannot carry). Editable installs read the checkout
itself and need no copy. Everything else about the package is declared in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

# The trees the package reads at run time (recsys_kg/paths.py), relative to the checkout.
DATA_TREES = ("ontology", "shapes", "queries", "data/sources", "data/normalization", "data/curation")
DATA_FILES = ("DATA-LICENSE.md",)  # single files: the data licence statement every release carries
DATA_SUFFIXES = {".ttl", ".rq", ".md", ".yaml", ".yml"}
TARGET = "recsys_kg/_data"


class build_py_with_data(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        root = Path(__file__).resolve().parent
        for name in DATA_FILES:
            target = Path(self.build_lib) / TARGET / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / name, target)
        for tree in DATA_TREES:
            for source in sorted((root / tree).rglob("*")):
                if source.is_file() and source.suffix in DATA_SUFFIXES:
                    target = Path(self.build_lib) / TARGET / source.relative_to(root)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source, target)


# Build in a folder of its own: build/ is where `recsys-kg build` writes the graph.
setup(cmdclass={"build_py": build_py_with_data}, options={"build": {"build_base": ".setuptools-build"}})
