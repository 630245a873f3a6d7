"""Summaries of a results table.

Everything is computed from per-dataset means: the metrics of each
(dataset, sampler, classifier) are first averaged over repeats and folds.

Failures
    A (dataset, sampler, classifier) counts as *ok* only when every one of its
    cells ran. A dataset where the sampler (or classifier) failed on any fold
    is left out of that sampler's means, ranks, wins/ties/losses and Wilcoxon
    test, because a mean over the surviving folds is not comparable with the
    other samplers' means. The ``ran`` column (``n_ok/n_total``) shows on how
    many datasets each sampler ran, so a sampler that looks good on few
    datasets is easy to spot. Not-applicable cells (SMOTE-NC on numeric
    data) do not count in ``n_total``.
Ranks
    Per dataset, classifier and metric, the samplers that ran are ranked,
    1 = best (all metrics are "higher is better"), ties get the average rank.
    Means are rounded to 12 decimals first so that floating-point noise does
    not break exact ties. ``mean_rank`` averages a sampler's ranks over the
    datasets it ran on.
Common datasets
    Means over different sets of datasets do not quite compare: the datasets
    a sampler fails on are no random subset (SMOTE fails on the smallest
    classes, ADASYN on separable data). :func:`common_datasets` keeps only the
    datasets on which every sampler that applies ran, so that every mean and
    rank is over the same datasets (``--common`` on the command line).
Class size
    :func:`by_class_size` groups the datasets by the number of minority rows in
    their training folds (``--by-class-size`` on the command line), to show
    where in that range a sampler gains or loses.
Comparison with the baseline (SMOTE by default)
    On the datasets where both ran, a sampler *wins* when its mean is higher
    than the baseline's by more than :data:`TIE_TOLERANCE` (0.001), *loses*
    when lower by more than that, and *ties* otherwise. The p-value is the
    two-sided Wilcoxon signed-rank test on the paired per-dataset means; it is
    NaN with fewer than :data:`MIN_WILCOXON_PAIRS` pairs or when all
    differences are zero.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy.stats import wilcoxon

from .metrics import METRIC_ABBREVIATIONS, METRICS
from .results import FAILED, NOT_APPLICABLE, OK

#: Absolute difference of per-dataset means below which two samplers tie.
TIE_TOLERANCE = 1e-3

#: Fewest paired datasets for which a Wilcoxon p-value is reported.
MIN_WILCOXON_PAIRS = 5

#: Decimals kept before ranking, so that equal means rank as ties.
RANK_DECIMALS = 12

DEFAULT_BASELINE = "smote"

_GROUP = ["dataset", "sampler", "classifier"]


def _first_seen(values: pd.Series) -> list:
    return list(pd.unique(values))


def dataset_means(results: pd.DataFrame) -> pd.DataFrame:
    """Average the folds of every (dataset, sampler, classifier).

    Parameters
    ----------
    results : pandas.DataFrame
        Results table (see :mod:`benchmarks.results`).

    Returns
    -------
    pandas.DataFrame
        One row per (dataset, sampler, classifier) with ``status`` (``ok``
        when all its cells ran, ``not_applicable``, else ``failed``), the mean
        of each metric (NaN unless ok) and ``rank_<metric>`` columns (ranks
        among the ok samplers of the same dataset and classifier).
    """
    status = results["status"]
    table = (
        results.assign(_ok=status.eq(OK), _na=status.eq(NOT_APPLICABLE))
        .groupby(_GROUP, sort=False)
        .agg(
            n_cells=("status", "size"),
            n_ok_cells=("_ok", "sum"),
            n_na_cells=("_na", "sum"),
            **{metric: (metric, "mean") for metric in METRICS},
        )
        .reset_index()
    )
    table["status"] = np.select(
        [table["n_na_cells"].eq(table["n_cells"]), table["n_ok_cells"].eq(table["n_cells"])],
        [NOT_APPLICABLE, OK],
        default=FAILED,
    )
    table.loc[table["status"] != OK, list(METRICS)] = np.nan
    ok = table["status"] == OK
    for metric in METRICS:
        rounded = table.loc[ok, metric].round(RANK_DECIMALS)
        table.loc[ok, f"rank_{metric}"] = rounded.groupby(
            [table.loc[ok, "dataset"], table.loc[ok, "classifier"]]
        ).rank(ascending=False, method="average")
    return table


def common_datasets(results: pd.DataFrame) -> pd.DataFrame:
    """Keep the rows of the datasets on which no sampler or classifier failed.

    Parameters
    ----------
    results : pandas.DataFrame
        Results table.

    Returns
    -------
    pandas.DataFrame
        The rows of the datasets where every (sampler, classifier) ran on
        every cell or does not apply (not-applicable cells do not exclude a
        dataset).
    """
    failed = results.loc[results["status"] == FAILED, "dataset"].unique()
    return results[~results["dataset"].isin(failed)]


def check_class_size_edges(edges) -> list[int]:
    """Return ``edges`` as a list of int, or raise ValueError unless they increase from 1 up.

    Parameters
    ----------
    edges : sequence of int
        Group bounds for :func:`by_class_size`.

    Returns
    -------
    list of int
        The edges.
    """
    problem = f"class-size edges must be increasing positive integers, e.g. 12,24,48; got {edges}"
    try:
        edges = [int(edge) for edge in edges]
    except (TypeError, ValueError):
        raise ValueError(problem) from None
    if not edges or edges[0] < 1 or np.any(np.diff(edges) <= 0):
        raise ValueError(problem)
    return edges


def by_class_size(results: pd.DataFrame, edges) -> list[tuple[str, pd.DataFrame]]:
    """Split a results table into groups of datasets by the size of their minority class.

    A dataset's class size is the mean number of minority rows in its training
    folds (``n_minority_train``), the rows a sampler learns from, rounded to a
    whole row so that the groups' integer bounds describe it exactly. Ranks within a
    group are the same per-dataset ranks as over all datasets; only the datasets
    they are averaged over change.

    Parameters
    ----------
    results : pandas.DataFrame
        Results table.
    edges : sequence of int
        Increasing upper bounds of the groups but the last, e.g. ``(12, 24, 48)``
        for classes of at most 12, 13 to 24, 25 to 48 and more than 48 rows.

    Returns
    -------
    list of (str, pandas.DataFrame)
        A description and the rows of each non-empty group, smallest classes
        first.
    """
    edges = check_class_size_edges(edges)
    sizes = results.groupby("dataset")["n_minority_train"].mean().round()
    bounds = [0, *edges, np.inf]
    groups = []
    for low, high in itertools.pairwise(bounds):
        names = sizes.index[(sizes > low) & (sizes <= high)]
        if len(names) == 0:
            continue
        if low == 0:
            label = f"minority class of at most {high} training rows"
        elif np.isinf(high):
            label = f"minority class of more than {low} training rows"
        else:
            label = f"minority class of {low + 1} to {high} training rows"
        rows = results[results["dataset"].isin(names)]
        count = f"{len(names)} dataset" + ("s" if len(names) > 1 else "")
        groups.append((f"{label} ({count})", rows))
    return groups


#: Decimals differences are rounded to before the Wilcoxon test. Means of the
#: same scores summed in another order (other pandas or NumPy versions) differ
#: in the last bits; unrounded, such noise turns a zero or a tie between two
#: differences into a signed, ranked one and moves the p-value.
WILCOXON_DECIMALS = 12


def _wilcoxon_p(differences: np.ndarray) -> float:
    differences = np.round(differences, WILCOXON_DECIMALS)
    if len(differences) < MIN_WILCOXON_PAIRS or np.all(differences == 0):
        return np.nan
    try:
        return float(wilcoxon(differences).pvalue)
    except ValueError:
        return np.nan


def summarize(
    results: pd.DataFrame,
    baseline: str = DEFAULT_BASELINE,
    tolerance: float = TIE_TOLERANCE,
) -> pd.DataFrame:
    """Summarise a results table per classifier, sampler and metric.

    Parameters
    ----------
    results : pandas.DataFrame
        Results table.
    baseline : str, default="smote"
        Sampler label the others are compared with.
    tolerance : float, default=0.001
        Tie tolerance for wins/ties/losses.

    Returns
    -------
    pandas.DataFrame
        Columns ``classifier, sampler, metric, mean, mean_rank, wins, ties,
        losses, n_pairs, p_wilcoxon, n_ok, n_total, median_fit_time_s,
        mean_copy_share, mean_missing_gap``; the comparison columns are NaN for
        the baseline itself or when it is absent, the copy share when nothing
        was generated, the missing gap without missing values.
    """
    means = dataset_means(results)
    by_cell = results.groupby(["sampler", "classifier"], sort=False)
    fit_times, copy_shares = by_cell["fit_time_s"].median(), by_cell["copy_share"].mean()
    missing_gaps = by_cell["missing_gap"].mean()
    rows = []
    for classifier in _first_seen(results["classifier"]):
        of_classifier = means[means["classifier"] == classifier]
        reference = of_classifier[
            (of_classifier["sampler"] == baseline) & (of_classifier["status"] == OK)
        ].set_index("dataset")
        for sampler in _first_seen(results["sampler"]):
            own = of_classifier[of_classifier["sampler"] == sampler]
            ok = own[own["status"] == OK].set_index("dataset")
            common = ok.index.intersection(reference.index)
            for metric in METRICS:
                row = {
                    "classifier": classifier,
                    "sampler": sampler,
                    "metric": metric,
                    "mean": ok[metric].mean(),
                    "mean_rank": ok[f"rank_{metric}"].mean(),
                    "wins": np.nan,
                    "ties": np.nan,
                    "losses": np.nan,
                    "n_pairs": np.nan,
                    "p_wilcoxon": np.nan,
                    "n_ok": len(ok),
                    "n_total": int((own["status"] != NOT_APPLICABLE).sum()),
                    "median_fit_time_s": fit_times.get((sampler, classifier), np.nan),
                    "mean_copy_share": copy_shares.get((sampler, classifier), np.nan),
                    "mean_missing_gap": missing_gaps.get((sampler, classifier), np.nan),
                }
                if sampler != baseline and len(reference):
                    differences = (
                        ok.loc[common, metric] - reference.loc[common, metric]
                    ).to_numpy()
                    row.update(
                        wins=int(np.sum(differences > tolerance)),
                        losses=int(np.sum(differences < -tolerance)),
                        ties=int(np.sum(np.abs(differences) <= tolerance)),
                        n_pairs=len(differences),
                        p_wilcoxon=_wilcoxon_p(differences),
                    )
                rows.append(row)
    return pd.DataFrame(rows)


#: Metrics of the compact rank table, in its column order.
TABLE_METRICS = ("f1", "g_mean", "average_precision", "recall")


def rank_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Mean rank and mean of the headline metrics, one row per classifier and sampler.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`summarize`.

    Returns
    -------
    pandas.DataFrame
        Columns ``classifier, sampler`` then ``<metric>_rank, <metric>_mean``
        for F1, G-mean, PR-AUC and recall (short metric names), in the order
        the classifiers and samplers first appear.
    """
    rows = summary.set_index(["classifier", "sampler", "metric"])
    table = (
        summary[["classifier", "sampler"]].drop_duplicates().set_index(["classifier", "sampler"])
    )
    for metric in TABLE_METRICS:
        name = METRIC_ABBREVIATIONS[metric]
        of_metric = rows.xs(metric, level="metric")
        table[f"{name}_rank"] = of_metric["mean_rank"].round(2)
        table[f"{name}_mean"] = of_metric["mean"].round(3)
    return table.reset_index()


def _mean_cell(mean: float, rank: float) -> str:
    return "-" if np.isnan(mean) else f"{mean:.3f} ({rank:.1f})"


def _share_cell(share: float) -> str:
    return "-" if np.isnan(share) else f"{share:.3f}"


def _comparison_cell(row: pd.Series) -> str:
    if np.isnan(row["wins"]) or row["n_pairs"] == 0:
        return "-"
    text = f"{int(row['wins'])}/{int(row['ties'])}/{int(row['losses'])}"
    return text if np.isnan(row["p_wilcoxon"]) else f"{text} p={row['p_wilcoxon']:.3f}"


def format_summary(
    summary: pd.DataFrame,
    baseline: str = DEFAULT_BASELINE,
    tolerance: float = TIE_TOLERANCE,
) -> str:
    """Render :func:`summarize` output as plain-text tables, two per classifier.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`summarize`.
    baseline : str, default="smote"
        Baseline label (for the headings).
    tolerance : float, default=0.001
        Tie tolerance (for the headings).

    Returns
    -------
    str
        The text.
    """
    blocks = []
    names = [METRIC_ABBREVIATIONS[metric] for metric in METRICS]
    for classifier in _first_seen(summary["classifier"]):
        part = summary[summary["classifier"] == classifier]
        samplers = _first_seen(part["sampler"])
        by_metric = {
            sampler: part[part["sampler"] == sampler].set_index("metric") for sampler in samplers
        }
        means = pd.DataFrame(
            {
                "ran": [
                    f"{by_metric[s]['n_ok'].iloc[0]}/{by_metric[s]['n_total'].iloc[0]}"
                    for s in samplers
                ],
                "fit_s": [f"{by_metric[s]['median_fit_time_s'].iloc[0]:.3f}" for s in samplers],
                "copies": [_share_cell(by_metric[s]["mean_copy_share"].iloc[0]) for s in samplers],
                **{
                    name: [
                        _mean_cell(by_metric[s].loc[m, "mean"], by_metric[s].loc[m, "mean_rank"])
                        for s in samplers
                    ]
                    for name, m in zip(names, METRICS, strict=True)
                },
            },
            index=pd.Index(samplers, name="sampler"),
        )
        gaps = [by_metric[s]["mean_missing_gap"].iloc[0] for s in samplers]
        if not np.isnan(gaps).all():
            means.insert(3, "miss_gap", [_share_cell(gap) for gap in gaps])
        versus = pd.DataFrame(
            {
                name: [_comparison_cell(by_metric[s].loc[m]) for s in samplers]
                for name, m in zip(names, METRICS, strict=True)
            },
            index=pd.Index(samplers, name="sampler"),
        )
        blocks.append(
            f"classifier {classifier}: mean over datasets (mean rank, 1 = best); "
            "ran = datasets without failure / applicable; fit_s = median fit_resample seconds; "
            "copies = mean share of generated rows equal to a training row"
            + (
                "; miss_gap = mean gap between the missing shares of generated and real "
                "rows of the class, over columns with missing values"
                if "miss_gap" in means
                else ""
            )
            + "\n"
            + means.to_string()
        )
        blocks.append(
            f"classifier {classifier}: vs {baseline}: wins/ties/losses over datasets "
            f"(|difference| <= {tolerance:g} is a tie), Wilcoxon signed-rank p\n"
            + versus.to_string()
        )
    return "\n\n".join(blocks)
