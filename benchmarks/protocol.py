"""The evaluation protocol: splits, one cell of work, and the whole run.

A *cell* is one (dataset, sampler, repeat, fold). ``fit_resample`` is called
once per cell and every classifier is trained on the same resampled fold;
this equals one imbalanced-learn ``Pipeline`` per classifier, because the
sampler never sees the test fold.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning, UndefinedMetricWarning
from sklearn.model_selection import RepeatedStratifiedKFold, train_test_split
from tqdm.auto import tqdm

from imblearn_deepgen.metrics import exact_copy_share

from .cache import cell_key, dataset_digest, fresh_rows, repository_commit, sampler_version
from .classifiers import fit_classifier
from .datasets import Dataset
from .metrics import METRICS, minority_scores, missing_share_gap, score_predictions
from .parallel import (
    default_threads_per_worker,
    limit_torch_threads,
    limited_threads,
    run_tasks,
)
from .preprocessing import FoldPreprocessor
from .results import FAILED, NOT_APPLICABLE, OK, as_results_frame
from .samplers import (
    IMPUTED_INPUT,
    SMOTENC_INPUT,
    SamplerSpec,
    build_sampler,
    not_applicable_reason,
)

#: Fraction of rows held out in the hold-out protocol (credit-card data).
HOLDOUT_TEST_SIZE = 0.25

_MAX_ERROR_LENGTH = 500


@dataclass(frozen=True)
class Split:
    """Row indices of one training/test split.

    Parameters
    ----------
    repeat, fold : int
        Position in the protocol.
    train, test : numpy.ndarray
        Row indices.
    """

    repeat: int
    fold: int
    train: np.ndarray
    test: np.ndarray


def cross_validation_splits(y, n_folds: int, n_repeats: int, seed: int) -> list[Split]:
    """Repeated stratified k-fold splits.

    Parameters
    ----------
    y : array-like
        Target.
    n_folds, n_repeats : int
        ``RepeatedStratifiedKFold`` parameters.
    seed : int
        Its ``random_state``.

    Returns
    -------
    list of Split
        ``n_folds * n_repeats`` splits.
    """
    splitter = RepeatedStratifiedKFold(n_splits=n_folds, n_repeats=n_repeats, random_state=seed)
    splits = splitter.split(np.zeros(len(y)), y)
    return [
        Split(index // n_folds, index % n_folds, train, test)
        for index, (train, test) in enumerate(splits)
    ]


def holdout_splits(y, n_repeats: int, seed: int, test_size=HOLDOUT_TEST_SIZE) -> list[Split]:
    """One stratified train/test split per repeat (seeds ``seed``, ``seed + 1``, ...).

    Parameters
    ----------
    y : array-like
        Target.
    n_repeats : int
        Number of splits.
    seed : int
        Seed of the first split.
    test_size : float, default=0.25
        Test fraction.

    Returns
    -------
    list of Split
        Splits with ``fold == 0``.
    """
    indices = np.arange(len(y))
    splits = []
    for repeat in range(n_repeats):
        train, test = train_test_split(
            indices, test_size=test_size, stratify=y, random_state=seed + repeat
        )
        splits.append(Split(repeat, 0, np.sort(train), np.sort(test)))
    return splits


def cell_seed(seed: int, repeat: int, fold: int) -> int:
    """The ``random_state`` of samplers and classifiers in one (repeat, fold)."""
    return seed + 1000 * repeat + fold


def _describe(stage: str, exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    text = f"{stage}: {type(exc).__name__}: {message}"
    return text[:_MAX_ERROR_LENGTH]


def _rows_from(X, start):
    """Rows ``start:`` of an array or DataFrame: what a sampler appended."""
    return X.iloc[start:] if isinstance(X, pd.DataFrame) else X[start:]


def _rows_of(X, mask):
    """The rows of an array or DataFrame selected by a boolean mask."""
    return X.iloc[np.flatnonzero(mask)] if isinstance(X, pd.DataFrame) else X[mask]


def run_cell(
    dataset: Dataset,
    spec: SamplerSpec,
    split: Split,
    classifiers: Sequence[str],
    seed: int,
    threads: int | None = None,
) -> list[dict]:
    """Resample one training fold once and evaluate every classifier on it.

    Never raises for errors of the sampler or classifiers: they are recorded
    in the ``error`` column with NaN metrics.

    Parameters
    ----------
    dataset : Dataset
        The data.
    spec : SamplerSpec
        The sampler.
    split : Split
        Training and test rows.
    classifiers : sequence of str
        Classifier names (see :func:`benchmarks.classifiers.make_classifier`).
    seed : int
        Base seed; the cell uses :func:`cell_seed`.
    threads : int, optional
        Thread limit inside a parallel worker.

    Returns
    -------
    list of dict
        One result row per classifier.
    """
    random_state = cell_seed(seed, split.repeat, split.fold)
    y_train, y_test = dataset.y[split.train], dataset.y[split.test]
    base = {
        "dataset": dataset.name,
        "sampler": spec.label,
        "repeat": split.repeat,
        "fold": split.fold,
        "n_train": len(split.train),
        "n_minority_train": int(np.sum(y_train == 1)),
        "n_test": len(split.test),
        "seed": random_state,
        "fit_time_s": np.nan,
        "n_generated": np.nan,
        "copy_share": np.nan,
        "missing_gap": np.nan,
        **dict.fromkeys(METRICS, np.nan),
    }

    def rows(status: str, error: str = "") -> list[dict]:
        return [
            {**base, "classifier": name, "status": status, "error": error} for name in classifiers
        ]

    reason = not_applicable_reason(spec, dataset.nominal_columns)
    if reason:
        return rows(NOT_APPLICABLE, reason)

    with limited_threads(threads), warnings.catch_warnings():
        # Expected on small, hard folds; they would only clutter the progress bar.
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        stage = "preprocess"
        try:
            preprocessor = FoldPreprocessor(
                spec.input_kind, dataset.nominal_columns, dataset.numeric_columns
            )
            X_train = preprocessor.fit_before_sampling(
                dataset.X.iloc[split.train].reset_index(drop=True)
            )
            X_test = preprocessor.transform_test(dataset.X.iloc[split.test].reset_index(drop=True))
            stage = "fit_resample"
            nominal = (
                list(dataset.nominal_columns)
                if spec.input_kind in (SMOTENC_INPUT, IMPUTED_INPUT)
                else None
            )
            sampler = build_sampler(spec, random_state, categorical_features=nominal)
            # Building a deep sampler imports PyTorch, whose pool must be limited too.
            limit_torch_threads(threads)
            start = time.perf_counter()
            if sampler is not None:
                X_original = X_train
                X_train, y_train = sampler.fit_resample(X_train, y_train)
            base["fit_time_s"] = time.perf_counter() - start
            base["n_generated"] = len(y_train) - len(split.train)
            if base["n_generated"] > 0:
                stage = "copy_share"
                generated = _rows_from(X_train, len(split.train))
                base["copy_share"] = exact_copy_share(X_original, generated)
                stage = "missing_gap"
                class_rows = np.asarray(y_train[len(split.train) :] == 1).all()
                minority = _rows_of(X_original, dataset.y[split.train] == 1)
                base["missing_gap"] = (
                    missing_share_gap(minority, generated) if class_rows else np.nan
                )
            stage = "preprocess"
            X_train = preprocessor.transform_after(X_train)
        except Exception as exc:  # recorded per cell, never skipped
            return rows(FAILED, _describe(stage, exc))

        results = []
        for name in classifiers:
            row = {**base, "classifier": name, "status": OK, "error": ""}
            try:
                classifier = fit_classifier(
                    name, random_state, spec.tune_threshold, X_train, np.asarray(y_train)
                )
                y_pred = classifier.predict(X_test)
                row.update(score_predictions(y_test, y_pred, minority_scores(classifier, X_test)))
            except Exception as exc:  # recorded per cell, never skipped
                row.update(status=FAILED, error=_describe(f"classifier {name}", exc))
                row.update(dict.fromkeys(METRICS, np.nan))
            results.append(row)
    return results


def make_splits(dataset: Dataset, protocol: str, n_folds: int, n_repeats: int, seed: int):
    """Splits of one dataset for ``protocol`` ``"cv"`` or ``"holdout"``."""
    if protocol == "cv":
        return cross_validation_splits(dataset.y, n_folds, n_repeats, seed)
    if protocol == "holdout":
        return holdout_splits(dataset.y, n_repeats, seed)
    raise ValueError(f"unknown protocol {protocol!r}; use 'cv' or 'holdout'")


def run_benchmark(
    datasets: Sequence[Dataset],
    samplers: Sequence[SamplerSpec],
    classifiers: Sequence[str] = ("lr", "dt", "hgb"),
    *,
    protocol: str = "cv",
    n_folds: int = 5,
    n_repeats: int = 2,
    seed: int = 0,
    n_jobs: int = 1,
    threads_per_worker: int | None = None,
    progress: bool = True,
    cache: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Run every (dataset, sampler, repeat, fold) cell and collect the results.

    Parameters
    ----------
    datasets : sequence of Dataset
        The data.
    samplers : sequence of SamplerSpec
        The samplers (see :func:`benchmarks.samplers.parse_sampler_list`).
    classifiers : sequence of str, default=("lr", "dt", "hgb")
        Classifier names.
    protocol : {"cv", "holdout"}, default="cv"
        ``cv``: ``RepeatedStratifiedKFold(n_folds, n_repeats)``; ``holdout``:
        ``n_repeats`` stratified 75/25 splits (``n_folds`` is ignored).
    n_folds, n_repeats : int
        Protocol size.
    seed : int, default=0
        Base seed of the splits, samplers and classifiers.
    n_jobs : int, default=1
        Parallel workers (joblib); 1 runs in this process.
    threads_per_worker : int, optional
        Native thread limit per worker; defaults to ``cpu_count // n_jobs``.
    progress : bool, default=True
        Show a progress bar over cells.
    cache : pandas.DataFrame, optional
        Results of an earlier run: its cells whose inputs are unchanged are
        reused instead of run again (see :mod:`benchmarks.cache`).

    Returns
    -------
    pandas.DataFrame
        One row per (dataset, sampler, classifier, repeat, fold), see
        :mod:`benchmarks.results`; ``attrs["n_reused_cells"]`` counts the
        cells taken from ``cache``.
    """
    if threads_per_worker is None:
        threads_per_worker = default_threads_per_worker(n_jobs)
    tasks, keys = [], {}
    for dataset in datasets:
        dataset_hash = dataset_digest(dataset)
        for split in make_splits(dataset, protocol, n_folds, n_repeats, seed):
            for spec in samplers:
                cell = (dataset.name, spec.label, split.repeat, split.fold)
                keys[cell] = (cell_key(dataset_hash, spec, split, classifiers, seed), classifiers)
                tasks.append((dataset, spec, split, tuple(classifiers), seed, threads_per_worker))
    reused = fresh_rows(cache, keys)
    to_run = [task for task, cell in zip(tasks, keys, strict=True) if cell not in reused]
    rows = [row for cell_rows in reused.values() for row in cell_rows]
    with tqdm(total=len(to_run), desc="cells", unit="cell", disable=not progress) as bar:
        for cell_rows in run_tasks(run_cell, to_run, n_jobs=n_jobs):
            dataset, sampler, repeat, fold = (cell_rows[0][k] for k in _CELL)
            code_version, _ = sampler_version(
                next(spec.target for spec in samplers if spec.label == sampler)
            )
            stamp = {
                "cell_key": keys[(dataset, sampler, repeat, fold)][0],
                "code_version": code_version,
                "commit": repository_commit(),
            }
            rows.extend({**row, **stamp} for row in cell_rows)
            bar.update()
    results = _sort_like_inputs(as_results_frame(rows), datasets, samplers, classifiers)
    results.attrs["n_reused_cells"] = len(reused)
    return results


_CELL = ("dataset", "sampler", "repeat", "fold")


def _sort_like_inputs(results, datasets, samplers, classifiers) -> pd.DataFrame:
    order = {
        "dataset": {d.name: i for i, d in enumerate(datasets)},
        "sampler": {s.label: i for i, s in enumerate(samplers)},
        "classifier": {c: i for i, c in enumerate(classifiers)},
    }

    def sort_key(column: pd.Series) -> pd.Series:
        return column.map(order[column.name]) if column.name in order else column

    return results.sort_values(
        ["dataset", "sampler", "classifier", "repeat", "fold"], key=sort_key
    ).reset_index(drop=True)
