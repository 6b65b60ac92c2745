"""Which library versions made a model file, and whether this process can read the file.

Model files are arrays in our own documented format (`linear.py`, `FORMAT_VERSION`), not pickles,
so they do not depend on the scikit-learn or numpy version that trained them: only the format
version decides whether a file can be read. Library versions are recorded for auditing (and to
reproduce a training run), read from package metadata so that recording them imports nothing.
"""

from __future__ import annotations

import platform
from importlib import metadata

from cna_relay.routing.linear import FORMAT_VERSION

_RECORDED = ("scikit-learn", "numpy", "scipy")


def library_versions() -> dict[str, str]:
    """The versions recorded with a model: Python and the libraries that trained it."""
    versions = {"python": platform.python_version()}
    for name in _RECORDED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def incompatibilities(model_format: int) -> list[str]:
    """Why a model file in `model_format` cannot be read here (empty: it can)."""
    if model_format != FORMAT_VERSION:
        return [f"model format {model_format} is not the supported format {FORMAT_VERSION}"]
    return []
