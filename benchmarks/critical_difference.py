"""Which samplers a cross-dataset comparison can tell apart (Demšar 2006).

Per classifier and metric, on the datasets where every sampler ran: the
Friedman test asks whether the samplers' ranks differ at all; then every pair
is compared by the two-sided Wilcoxon signed-rank test on the per-dataset
means, with Holm's step-down correction over all pairs. Pairwise Wilcoxon
tests are used rather than Nemenyi's single critical distance because each
pair's verdict then depends on those two samplers only, not on which others
are in the run (Benavoli, Corani and Mangili 2016). A *clique* is a maximal
run of samplers, in order of mean rank, of which no two differ significantly;
the diagram joins each clique with a bar.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import friedmanchisquare, wilcoxon

from .results import NOT_APPLICABLE, OK
from .summary import dataset_means

#: Family-wise significance level of the pairwise tests.
ALPHA = 0.05


@dataclass
class RankComparison:
    """Mean ranks and the groups of samplers a comparison cannot tell apart.

    Attributes
    ----------
    mean_ranks : pandas.Series
        Mean rank per sampler (1 = best), sorted best first.
    n_datasets : int
        Datasets on which every sampler ran (samplers that apply to some
        datasets only, such as SMOTE-NC, are left out).
    friedman_p : float
        p-value of the Friedman test over all samplers.
    significant : set of frozenset
        Pairs of samplers that differ after Holm's correction.
    cliques : list of tuple
        Maximal runs of samplers (in rank order, two or more) with no
        significant pair inside.
    """

    mean_ranks: pd.Series
    n_datasets: int
    friedman_p: float
    significant: set
    cliques: list


def _holm(p_values: dict, alpha: float) -> set:
    """Keys rejected by Holm's step-down procedure at family-wise level ``alpha``."""
    rejected = set()
    ordered = sorted(p_values.items(), key=lambda item: item[1])
    for step, (key, p) in enumerate(ordered):
        if np.isnan(p) or p > alpha / (len(ordered) - step):
            break
        rejected.add(key)
    return rejected


def _pair_p(a: np.ndarray, b: np.ndarray) -> float:
    if np.all(a == b):
        return 1.0
    return float(wilcoxon(a, b).pvalue)


def compare_ranks(
    results: pd.DataFrame, classifier: str, metric: str, alpha: float = ALPHA
) -> RankComparison:
    """Mean ranks, Friedman p and Holm-corrected cliques for one classifier and metric.

    Parameters
    ----------
    results : pandas.DataFrame
        Results table.
    classifier : str
        Classifier whose rows are compared.
    metric : str
        Metric column, e.g. ``"f1"``.
    alpha : float, default=0.05
        Family-wise significance level of the pairwise tests.

    Returns
    -------
    RankComparison
    """
    means = dataset_means(results[results["classifier"] == classifier])
    # A sampler that applies to some datasets only (SMOTE-NC) is left out; the
    # datasets where another sampler failed are then left out.
    partial = set(means.loc[means["status"] == NOT_APPLICABLE, "sampler"])
    means = means[(means["status"] == OK) & ~means["sampler"].isin(partial)]
    scores = means.pivot(index="dataset", columns="sampler", values=metric).dropna()
    if scores.shape[1] < 2 or len(scores) < 2:
        raise ValueError(
            f"classifier {classifier!r}: fewer than two samplers or datasets with results "
            "for every sampler; nothing to compare."
        )
    ranks = scores.round(12).rank(axis=1, ascending=False)
    mean_ranks = ranks.mean().sort_values()
    friedman_p = (
        float(friedmanchisquare(*scores.to_numpy().T).pvalue) if scores.shape[1] > 2 else np.nan
    )
    p_values = {
        frozenset(pair): _pair_p(scores[pair[0]].to_numpy(), scores[pair[1]].to_numpy())
        for pair in itertools.combinations(mean_ranks.index, 2)
    }
    significant = _holm(p_values, alpha)
    return RankComparison(
        mean_ranks=mean_ranks,
        n_datasets=len(scores),
        friedman_p=friedman_p,
        significant=significant,
        cliques=_cliques(list(mean_ranks.index), significant),
    )


def _cliques(ordered: list, significant: set) -> list:
    """Maximal runs of ``ordered`` with no significant pair inside (two or more members)."""
    runs = []
    for start in range(len(ordered)):
        stop = start + 1
        while stop < len(ordered) and not any(
            frozenset((ordered[i], ordered[stop])) in significant for i in range(start, stop)
        ):
            stop += 1
        run = tuple(ordered[start:stop])
        if len(run) > 1 and not any(set(run) <= set(longer) for longer in runs):
            runs.append(run)
    return runs
