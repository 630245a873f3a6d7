"""PNG figures of a results table (matplotlib is imported only here, lazily)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .critical_difference import compare_ranks
from .metrics import METRIC_ABBREVIATIONS, METRICS
from .results import OK
from .summary import DEFAULT_BASELINE, TABLE_METRICS, dataset_means, summarize

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


def _draw_critical_difference(axis, comparison, title):
    """One diagram: the rank axis (1 = best, left), samplers hung below it, clique bars."""
    ranks = comparison.mean_ranks
    k = len(ranks)
    axis.hlines(0, 1, k, color="black", linewidth=1)
    for tick in range(1, k + 1):
        axis.vlines(tick, 0, 0.1, color="black", linewidth=1)
        axis.text(tick, 0.15, str(tick), ha="center", va="bottom", fontsize=8)
    clique_gap = 0.25
    for level, clique in enumerate(comparison.cliques):
        y = -clique_gap * (level + 1)
        axis.hlines(
            y, ranks[clique[0]] - 0.03, ranks[clique[-1]] + 0.03, linewidth=4, color="grey"
        )
    top = -clique_gap * (len(comparison.cliques) + 1)
    half = (k + 1) // 2
    for position, (name, rank) in enumerate(ranks.items()):
        left = position < half
        step = position if left else k - 1 - position
        y = top - 0.35 * (step + 1)
        end = 0.6 if left else k + 0.4
        axis.vlines(rank, y, 0, color="black", linewidth=0.8)
        axis.hlines(y, min(rank, end), max(rank, end), color="black", linewidth=0.8)
        axis.text(
            end + (-0.05 if left else 0.05),
            y,
            f"{name} {rank:.2f}",
            ha="right" if left else "left",
            va="center",
            fontsize=8,
        )
    axis.set_xlim(-1.2, k + 2.2)
    axis.set_ylim(top - 0.35 * (half + 1), 0.5)
    axis.set_axis_off()
    axis.set_title(title, fontsize=9)


def plot_critical_difference(
    results: pd.DataFrame, directory: str | Path, metrics: Sequence[str] = TABLE_METRICS
) -> list[Path]:
    """Critical-difference diagrams: one PNG per classifier, one panel per metric.

    Samplers sit at their mean rank over the datasets where all of them ran;
    a bar joins samplers that no Holm-corrected pairwise Wilcoxon test tells
    apart (:mod:`benchmarks.critical_difference`).

    Parameters
    ----------
    results : pandas.DataFrame
        Results table.
    directory : str or pathlib.Path
        Output directory (created if needed).
    metrics : sequence of str, default=TABLE_METRICS
        Metrics, one panel each.

    Returns
    -------
    list of pathlib.Path
        Files written (``critical_difference_<classifier>.png``); none for a
        classifier with fewer than two samplers or datasets to compare.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for classifier in pd.unique(results["classifier"]):
        try:
            comparisons = [compare_ranks(results, classifier, metric) for metric in metrics]
        except ValueError:
            continue
        k = len(comparisons[0].mean_ranks)
        figure, axes = _figure(len(metrics), 1, 0.55 * k + 3.5, 0.22 * k + 1.2)
        for axis, metric, comparison in zip(axes.flat, metrics, comparisons, strict=True):
            _draw_critical_difference(
                axis,
                comparison,
                f"{METRIC_ABBREVIATIONS[metric]}, classifier {classifier}: "
                f"{comparison.n_datasets} datasets, Friedman p = {comparison.friedman_p:.2g}",
            )
        path = directory / f"critical_difference_{classifier}.png"
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
    return (
        plot_mean_ranks(results, directory)
        + plot_against_baseline(results, directory, baseline=baseline)
        + plot_critical_difference(results, directory)
    )
