"""The verdict screen and the critical-difference comparison of a results table."""

import numpy as np
import pandas as pd
import pytest

from benchmarks.critical_difference import _holm, compare_ranks
from benchmarks.metrics import METRICS
from benchmarks.results import NOT_APPLICABLE, OK, RESULT_COLUMNS
from benchmarks.summary import summarize
from benchmarks.verdict import format_verdict, verdict

N_DATASETS = 12


def _results(offsets, not_applicable=()):
    """One fold per dataset, classifier lr; every metric is 0.5 + the sampler's offset."""
    rows = []
    for d in range(N_DATASETS):
        for sampler, offset in offsets.items():
            status = NOT_APPLICABLE if sampler in not_applicable and d % 2 else OK
            value = 0.5 + offset(d) if status == OK else np.nan
            rows.append(
                {
                    "dataset": f"d{d}",
                    "sampler": sampler,
                    "classifier": "lr",
                    "repeat": 0,
                    "fold": 0,
                    "status": status,
                    "error": "",
                    **dict.fromkeys(METRICS, value),
                    "fit_time_s": 1.0,
                }
            )
    return pd.DataFrame(rows).reindex(columns=list(RESULT_COLUMNS))


OFFSETS = {
    "smote": lambda d: 0.0,
    "gan": lambda d: 0.05 + 0.001 * d,  # better on every dataset
    "vae": lambda d: 0.004 * (-1) ** d * (1 + d % 3),  # as often above as below
    "gan:max_iter=10": lambda d: -0.05 - 0.001 * d,  # worse on every dataset
}


def test_the_verdict_names_better_tie_and_worse():
    table = verdict(summarize(_results(OFFSETS))).set_index(["sampler", "metric"])
    assert set(table.loc["gan", "verdict"]) == {"better"}
    assert set(table.loc["vae", "verdict"]) == {"tie"}
    assert set(table.loc["gan:max_iter=10", "verdict"]) == {"worse"}
    assert len(table.loc["gan"]) == 4  # F1, G-mean, PR-AUC and recall


def test_the_verdict_screen_counts_each_sampler():
    text = format_verdict(summarize(_results(OFFSETS)))
    assert text.startswith("VERDICT")
    assert "gan: better on 4, tie on 0, worse on 0 of 4" in text
    assert "vae: better on 0, tie on 4, worse on 0 of 4" in text
    # No deep sampler, no verdict.
    assert format_verdict(summarize(_results({"smote": OFFSETS["smote"]}))) == ""


def test_holm_steps_down_and_stops_at_the_first_kept_hypothesis():
    assert _holm({"a": 0.01, "b": 0.02, "c": 0.04}, 0.05) == {"a", "b", "c"}
    assert _holm({"a": 0.02, "b": 0.02, "c": 0.02}, 0.05) == set()
    assert _holm({"a": 0.001, "b": 0.2, "c": 0.03}, 0.05) == {"a"}


def test_cliques_join_what_the_tests_cannot_tell_apart():
    comparison = compare_ranks(_results(OFFSETS), "lr", "f1")
    ranked = list(comparison.mean_ranks.index)
    assert ranked[0] == "gan" and ranked[-1] == "gan:max_iter=10"
    assert comparison.n_datasets == N_DATASETS
    assert comparison.friedman_p < 1e-3
    assert [set(clique) for clique in comparison.cliques] == [{"vae", "smote"}]
    assert frozenset(("gan", "smote")) in comparison.significant


def test_a_sampler_that_applies_to_some_datasets_only_is_left_out():
    results = _results(OFFSETS, not_applicable=("vae",))
    comparison = compare_ranks(results, "lr", "f1")
    assert "vae" not in comparison.mean_ranks.index
    assert comparison.n_datasets == N_DATASETS
    with pytest.raises(ValueError, match="nothing to compare"):
        compare_ranks(_results({"smote": OFFSETS["smote"]}), "lr", "f1")


def test_critical_difference_figures_are_written(tmp_path):
    pytest.importorskip("matplotlib")
    from benchmarks.plots import plot_critical_difference

    written = plot_critical_difference(_results(OFFSETS), tmp_path)
    assert [path.name for path in written] == ["critical_difference_lr.png"]
    assert written[0].stat().st_size > 0


def test_the_verdict_says_how_weak_a_test_on_few_datasets_is():
    results = _results(OFFSETS)
    few = results[results["dataset"].isin([f"d{d}" for d in range(6)])]
    assert "the smallest possible p is 0.031" in format_verdict(summarize(few))
    assert "smallest possible p" not in format_verdict(summarize(results))
