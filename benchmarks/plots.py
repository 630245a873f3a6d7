"""PNG figures of a results table (matplotlib is imported only here, lazily)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .metrics import METRIC_ABBREVIATIONS, METRICS
from .results import OK
from .summary import DEFAULT_BASELINE, dataset_means, summarize

#: Samplers (by base name) compared with the baseline in the scatter plots.
SCATTER_SAMPLERS = ("gan", "vae")

#: Metrics of the scatter plots.
SCATTER_METRICS = ("recall", "average_precision")


def _figure(n_rows: int, n_columns: int, width: float, height: float):
    from matplotlib.figure import Figure  # no pyplot: no GUI backend, safe in workers

    figure = Figure(figsize=(width * n_columns, height * n_rows), layout="constrained")
    axes = figure.subplots(n_rows, n_columns, squeeze=False)
    return figure, axes


def plot_mean_ranks(results: pd.DataFrame, directory: str | Path) -> list[Path]:
    """Bar charts of mean ranks: one PNG per classifier, one panel per metric.

    Parameters
    ----------
    results : pandas.DataFrame
        Results table.
    directory : str or pathlib.Path
        Output directory (created if needed).

    Returns
    -------
    list of pathlib.Path
        Files written (``mean_rank_<classifier>.png``).
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    summary = summarize(results)
    written = []
    for classifier in pd.unique(summary["classifier"]):
        part = summary[summary["classifier"] == classifier]
        n_columns = 4
        n_rows = int(np.ceil(len(METRICS) / n_columns))
        figure, axes = _figure(n_rows, n_columns, 3.6, 0.3 * part["sampler"].nunique() + 1.2)
        for axis, metric in zip(axes.flat, METRICS, strict=False):
            rows = part[(part["metric"] == metric) & part["mean_rank"].notna()]
            rows = rows.sort_values("mean_rank", ascending=False)
            # Flag samplers that failed on some datasets: their rank covers fewer datasets.
            labels = [
                row.sampler
                if row.n_ok == row.n_total
                else f"{row.sampler} ({row.n_ok}/{row.n_total})"
                for row in rows.itertuples()
            ]
            axis.barh(labels, rows["mean_rank"].to_numpy(), color="tab:blue")
            axis.set_title(METRIC_ABBREVIATIONS[metric])
            axis.set_xlabel("mean rank (1 = best)")
        for axis in list(axes.flat)[len(METRICS) :]:
            axis.set_visible(False)
        figure.suptitle(f"Mean rank across datasets, classifier {classifier}")
        path = directory / f"mean_rank_{classifier}.png"
        figure.savefig(path, dpi=100)
        written.append(path)
    return written


def plot_against_baseline(
    results: pd.DataFrame,
    directory: str | Path,
    samplers: Sequence[str] = SCATTER_SAMPLERS,
    baseline: str = DEFAULT_BASELINE,
    metrics: Sequence[str] = SCATTER_METRICS,
) -> list[Path]:
    """Per-dataset scatter of chosen samplers against the baseline.

    One PNG per classifier, one panel per metric; each point is a dataset
    (mean over folds), above the diagonal means better than the baseline.

    Parameters
    ----------
    results : pandas.DataFrame
        Results table.
    directory : str or pathlib.Path
        Output directory (created if needed).
    samplers : sequence of str, default=("gan", "vae")
        Base names; every label starting with one of them is drawn.
    baseline : str, default="smote"
        Sampler on the x axis.
    metrics : sequence of str, default=("recall", "average_precision")
        Metrics, one panel each.

    Returns
    -------
    list of pathlib.Path
        Files written (``vs_<baseline>_<classifier>.png``); empty when the
        baseline or all compared samplers are missing.
    """
    directory = Path(directory)
    means = dataset_means(results)
    means = means[means["status"] == OK]
    labels = [
        label
        for label in pd.unique(means["sampler"])
        if label.split(":", 1)[0] in samplers and label != baseline
    ]
    if baseline not in set(means["sampler"]) or not labels:
        return []
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    markers = "osD^v<>"
    for classifier in pd.unique(means["classifier"]):
        part = means[means["classifier"] == classifier]
        reference = part[part["sampler"] == baseline].set_index("dataset")
        figure, axes = _figure(1, len(metrics), 4.0, 4.0)
        for axis, metric in zip(axes.flat, metrics, strict=False):
            for marker, label in zip(markers, labels, strict=False):
                other = part[part["sampler"] == label].set_index("dataset")
                common = other.index.intersection(reference.index)
                axis.scatter(
                    reference.loc[common, metric],
                    other.loc[common, metric],
                    marker=marker,
                    label=label,
                    alpha=0.8,
                )
            axis.plot([0, 1], [0, 1], color="grey", linewidth=0.8, linestyle="--")
            axis.set_xlim(0, 1)
            axis.set_ylim(0, 1)
            axis.set_xlabel(f"{baseline} {METRIC_ABBREVIATIONS[metric]}")
            axis.set_ylabel(f"other sampler {METRIC_ABBREVIATIONS[metric]}")
            axis.legend(loc="lower right")
        figure.suptitle(f"Per-dataset means vs {baseline}, classifier {classifier}")
        path = directory / f"vs_{baseline}_{classifier}.png"
        figure.savefig(path, dpi=100)
        written.append(path)
    return written


def write_plots(
    results: pd.DataFrame, directory: str | Path, baseline: str = DEFAULT_BASELINE
) -> list[Path]:
    """Write all figures for a results table.

    Parameters
    ----------
    results : pandas.DataFrame
        Results table.
    directory : str or pathlib.Path
        Output directory.
    baseline : str, default="smote"
        Baseline of the scatter plots.

    Returns
    -------
    list of pathlib.Path
        Files written.
    """
    return plot_mean_ranks(results, directory) + plot_against_baseline(
        results, directory, baseline=baseline
    )
