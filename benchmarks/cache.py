"""Reuse of finished cells: a rerun computes only the cells whose inputs changed.

Every result row carries ``cell_key``, a hash of everything its numbers depend
on: the code of the harness that splits, preprocesses, trains and scores; the
library versions; the dataset's contents and the split's test rows; the
sampler's specification; and the code of the sampler itself (for
imblearn-deepgen, its source, so that a change of defaults makes its cells stale
and leaves every other sampler's cells fresh). Code is hashed without comments
and docstrings: editing documentation reruns nothing. ``code_version`` and
``commit`` record the sampler's package version and the repository commit that
produced the row.

A cell (dataset, sampler, repeat, fold) is reused when the cache holds a row
for each classifier of the run with the cell's key.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib
import importlib.metadata
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn

from .datasets import Dataset
from .samplers import SamplerSpec

#: Harness modules whose code decides a cell's numbers.
_HARNESS_MODULES = ("protocol", "preprocessing", "classifiers", "metrics", "samplers")

_HERE = Path(__file__).resolve().parent


def _digest(*parts) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else repr(part).encode())
        hasher.update(b"\0")
    return hasher.hexdigest()[:16]


def _code_of(path: Path) -> bytes:
    """A module's code without its comments, docstrings and layout: what runs."""
    tree = ast.parse(path.read_bytes())
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree).encode()


def _source_digest(directory: Path) -> str:
    files = sorted(directory.rglob("*.py"))
    return _digest(*(f"{f.relative_to(directory)}".encode() + _code_of(f) for f in files))


@functools.cache
def _harness_digest() -> str:
    sources = [_code_of(_HERE / f"{name}.py") for name in _HARNESS_MODULES]
    versions = [np.__version__, pd.__version__, sklearn.__version__]
    return _digest(*sources, *versions)


def _distribution(module: str) -> str:
    """The installed distribution of top-level ``module`` (``module`` itself if none)."""
    names = importlib.metadata.packages_distributions().get(module, [module])
    return names[0]


@functools.cache
def sampler_version(target: str | None) -> tuple[str, str]:
    """``(code_version, digest)`` of the code behind a sampler's ``module:Class``.

    The package name and version for the table; the digest also covers the
    package's source files when it is this repository's own package, whose
    version number does not change with every edit.
    """
    if target is None:
        return "none", "none"
    top = target.split(":", 1)[0].split(".", 1)[0]
    module = importlib.import_module(top)
    name = _distribution(top)
    try:
        version = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        version = getattr(module, "__version__", "unknown")
    code_version = f"{name} {version}"
    source = Path(module.__file__).resolve().parent
    digest = _source_digest(source) if top == "imblearn_deepgen" else code_version
    return code_version, digest


@functools.cache
def repository_commit() -> str:
    """Short commit of the checkout the harness runs from, ``-dirty`` if edited; '' outside git."""
    try:
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=12"],
            cwd=_HERE,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return ""
    return commit.stdout.strip()


def dataset_digest(dataset: Dataset) -> str:
    """A hash of a dataset's rows, labels and nominal columns."""
    rows = pd.util.hash_pandas_object(dataset.X, index=False).to_numpy()
    return _digest(rows.tobytes(), np.asarray(dataset.y).tobytes(), dataset.nominal_columns)


def cell_key(dataset_hash: str, spec: SamplerSpec, split, classifiers, seed: int) -> str:
    """The key of one cell's rows: equal keys mean equal inputs, hence equal results."""
    _, code = sampler_version(spec.target)
    return _digest(
        _harness_digest(),
        dataset_hash,
        split.repeat,
        split.fold,
        split.test.tobytes(),
        spec.target,
        sorted(spec.params.items()),
        spec.input_kind,
        spec.tune_threshold,
        tuple(classifiers),
        seed,
        code,
    )


def fresh_rows(cache: pd.DataFrame | None, keys: dict) -> dict:
    """The cached rows of each cell whose key is still current.

    Parameters
    ----------
    cache : pandas.DataFrame or None
        A results table read back (rows without ``cell_key`` are stale).
    keys : dict
        ``(dataset, sampler, repeat, fold) -> (cell_key, classifiers)``.

    Returns
    -------
    dict
        ``(dataset, sampler, repeat, fold) -> list of row dicts`` for the
        cells that need no rerun.
    """
    if cache is None or "cell_key" not in cache.columns:
        return {}
    by_key = {key: rows for key, rows in cache.groupby("cell_key", sort=False)}
    reused = {}
    for cell, (key, classifiers) in keys.items():
        rows = by_key.get(key)
        if rows is None:
            continue
        rows = rows[
            (rows["dataset"] == cell[0])
            & (rows["sampler"] == cell[1])
            & (rows["repeat"] == cell[2])
            & (rows["fold"] == cell[3])
        ]
        if sorted(rows["classifier"]) == sorted(classifiers):
            reused[cell] = rows.to_dict("records")
    return reused
