"""The tidy results table: its columns, and reading and writing it.

One row per (dataset, sampler, classifier, repeat, fold). ``status`` is
``ok``, ``failed`` (the sampler or the classifier raised; ``error`` holds
``stage: ExceptionType: message`` and the metrics are NaN) or
``not_applicable`` (for example SMOTE-NC on a dataset without nominal columns).
``copy_share`` is the share of generated rows equal to a row of the training
fold (NaN when nothing was generated); ``missing_gap`` the mean, over columns
with missing values, of the gap between the generated rows' missing share and
that of the training rows of their class (NaN without missing values).
``cell_key``, ``code_version`` and ``commit`` say what produced a row (see
:mod:`benchmarks.cache`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .datasets import EXACT_FLOATS
from .metrics import METRICS

OK = "ok"
FAILED = "failed"
NOT_APPLICABLE = "not_applicable"

KEY_COLUMNS = ("dataset", "sampler", "classifier", "repeat", "fold")

#: All columns, in file order.
RESULT_COLUMNS = (
    *KEY_COLUMNS,
    "status",
    "error",
    *METRICS,
    "fit_time_s",
    "n_generated",
    "copy_share",
    "missing_gap",
    "n_train",
    "n_minority_train",
    "n_test",
    "seed",
    "cell_key",
    "code_version",
    "commit",
)


#: Columns added after the first recorded runs: files without them read as NaN.
LATER_COLUMNS = ("copy_share", "missing_gap", "cell_key", "code_version", "commit")


def as_results_frame(rows: Sequence[dict]) -> pd.DataFrame:
    """Turn result rows into a table with the standard columns and order.

    Parameters
    ----------
    rows : sequence of dict
        Rows produced by :func:`benchmarks.protocol.run_cell`.

    Returns
    -------
    pandas.DataFrame
        The results table.
    """
    frame = pd.DataFrame(list(rows), columns=list(RESULT_COLUMNS))
    frame["error"] = frame["error"].fillna("").astype(str)
    return frame


def write_results(results: pd.DataFrame, path: str | Path) -> Path:
    """Write the results table as CSV, creating parent directories.

    Parameters
    ----------
    results : pandas.DataFrame
        The results table.
    path : str or pathlib.Path
        Output file.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A fixed gzip timestamp: the same rows give the same bytes.
    compression = {"method": "gzip", "mtime": 0} if path.suffix == ".gz" else "infer"
    results.to_csv(path, index=False, compression=compression)
    return path


def read_results(paths: Sequence[str | Path]) -> pd.DataFrame:
    """Read and concatenate saved results tables.

    When a (dataset, sampler, classifier, repeat, fold) cell appears in
    several files, the last file wins, so a rerun of some samplers can be
    combined with an older full run.

    Parameters
    ----------
    paths : sequence of str or pathlib.Path
        CSV files written by :func:`write_results`, optionally compressed
        (``.gz`` and the other suffixes pandas recognises).

    Returns
    -------
    pandas.DataFrame
        The combined results table.
    """
    frames = [
        pd.read_csv(path, dtype={"error": str}, keep_default_na=True, **EXACT_FLOATS)
        for path in paths
    ]
    results = pd.concat(frames, ignore_index=True)
    for column in LATER_COLUMNS:
        if column not in results.columns:
            results[column] = np.nan
    missing = set(RESULT_COLUMNS) - set(results.columns)
    if missing:
        raise ValueError(f"not a benchmark results file, missing columns: {sorted(missing)}")
    results["error"] = results["error"].fillna("").astype(str)
    duplicated = results.duplicated(list(KEY_COLUMNS), keep="last")
    if duplicated.any():
        warnings.warn(
            f"{int(duplicated.sum())} repeated cells; keeping the last file's rows",
            stacklevel=2,
        )
        results = results[~duplicated].reset_index(drop=True)
    return results
