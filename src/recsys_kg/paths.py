"""Where the project's curated files live: the ontology, shapes, canned queries, normalization and curation
tables and the seed source lists.

People edit them in a checkout (``ontology/``, ``shapes/``, ``queries/``, ``data/`` at the top level); the wheel
carries copies of the same trees as package data (``recsys_kg/_data/``, put there by ``setup.py``), so an installed
package works from any directory. The home is, in this order: the directory ``set_home`` was given (the CLI's
``--home``), ``$RECSYS_KG_HOME``, the checkout this module runs from (an editable install), the package data.
Every module asks this one for a path, at call time, so ``--home`` and the environment variable apply everywhere.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

HOME_ENV = "RECSYS_KG_HOME"
PACKAGED_DATA = "_data"  # the folder inside the package that holds the copies (setup.py writes it)
_CHECKOUT = Path(__file__).resolve().parents[2]
_home_override: Path | None = None
_shapes_override: Path | None = None


def set_home(path: Path | None) -> None:
    """Use ``path`` (a checkout or a fork of the lists with the same layout) as home; None restores the default."""
    global _home_override
    _home_override = path


def set_shapes_dir(path: Path | None) -> None:
    """Validate against the shapes in ``path`` (the CLI's ``--shapes``) instead of the home's; None: the home's."""
    global _shapes_override
    _shapes_override = path


def is_checkout(path: Path) -> bool:
    return (path / "pyproject.toml").is_file() and (path / "ontology").is_dir()


def home() -> Path:
    if _home_override is not None:
        return _home_override
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV])
    if is_checkout(_CHECKOUT):
        return _CHECKOUT
    return Path(str(resources.files("recsys_kg") / PACKAGED_DATA))


def ontology_dir() -> Path:
    return home() / "ontology"


def shapes_dir() -> Path:
    return _shapes_override or home() / "shapes"


def queries_dir() -> Path:
    return home() / "queries"


def sources_dir() -> Path:
    return home() / "data" / "sources"


def contributions_dir() -> Path:
    """Accepted contributions, read by every build (templates and examples beside it are not)."""
    return home() / "contributions" / "accepted"


def curation_dir() -> Path:
    return home() / "data" / "curation"


def normalization_dir() -> Path:
    return home() / "data" / "normalization"


def default_build_dir() -> Path:
    """``build/`` in the checkout; for an installed package, ``build/`` in the working directory."""
    root = home()
    return root / "build" if is_checkout(root) else Path.cwd() / "build"
