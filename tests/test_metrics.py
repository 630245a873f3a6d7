import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from imblearn_deepgen import metrics
from imblearn_deepgen.metrics import (
    CorrelationDifference,
    FidelityReport,
    comparison_report,
    correlation_difference,
    detection_score,
    exact_copy_share,
    marginal_fidelity,
    privacy_scores,
    summary_statistics,
)

COVARIANCE = np.array([[1.0, 0.6, 0.0], [0.6, 1.0, -0.3], [0.0, -0.3, 1.0]])


def numeric_sample(n, seed, shift=0.0, scale=1.0):
    rng = np.random.RandomState(seed)
    x = rng.multivariate_normal(np.zeros(3), COVARIANCE, size=n) * scale + shift
    return pd.DataFrame(x, columns=["a", "b", "c"])


def mixed_sample(n, seed, shift=0.0):
    rng = np.random.RandomState(seed)
    frame = numeric_sample(n, seed + 1000, shift=shift)
    frame["colour"] = np.where(frame["a"] + rng.normal(size=n) > shift, "red", "blue")
    frame["size"] = pd.Categorical(rng.choice(["S", "M", "L"], size=n, p=[0.5, 0.3, 0.2]))
    frame["flag"] = rng.rand(n) < 0.3
    return frame


# ---------------------------------------------------------------------------
# marginal_fidelity
# ---------------------------------------------------------------------------


def test_identical_samples_have_zero_marginal_distances():
    real = mixed_sample(300, 0)
    result = marginal_fidelity(real, real.copy())
    assert list(result.columns) == [
        "column",
        "kind",
        "kl_divergence",
        "js_distance",
        "ks_statistic",
        "wasserstein",
        "missing_real",
        "missing_synthetic",
        "missing_abs_difference",
    ]
    assert result["column"].tolist() == ["a", "b", "c", "colour", "size", "flag"]
    assert not result[["missing_real", "missing_synthetic", "missing_abs_difference"]].any(
        axis=None
    )
    assert result["kind"].tolist() == ["numeric"] * 3 + ["categorical"] * 3
    assert np.allclose(result["ks_statistic"], 0.0)
    assert np.allclose(result["kl_divergence"], 0.0, atol=1e-12)
    assert np.allclose(result["js_distance"], 0.0, atol=1e-12)
    numeric = result["kind"] == "numeric"
    assert np.allclose(result.loc[numeric, "wasserstein"], 0.0)
    assert result.loc[~numeric, "wasserstein"].isna().all()


def test_shifted_distribution_has_larger_marginal_distances():
    real = numeric_sample(500, 0)
    same = marginal_fidelity(real, numeric_sample(500, 1)).set_index("column")
    shifted = marginal_fidelity(real, numeric_sample(500, 1, shift=1.0)).set_index("column")
    for metric in ["kl_divergence", "js_distance", "ks_statistic", "wasserstein"]:
        assert (shifted[metric] > same[metric]).all(), metric
    assert (same["ks_statistic"] < 0.12).all()
    assert (shifted["ks_statistic"] > 0.3).all()
    # standardised Wasserstein of a one-standard-deviation shift is about 1
    assert np.allclose(shifted["wasserstein"], 1.0, atol=0.15)
    assert np.isfinite(shifted["kl_divergence"]).all()


def test_categorical_marginals_use_frequencies():
    real = pd.DataFrame({"c": ["a"] * 50 + ["b"] * 50})
    synthetic = pd.DataFrame({"c": ["a"] * 80 + ["b"] * 10 + ["z"] * 10})
    row = marginal_fidelity(real, synthetic).iloc[0]
    assert row["kind"] == "categorical"
    # total variation: 0.5 * (|0.5-0.8| + |0.5-0.1| + |0-0.1|)
    assert row["ks_statistic"] == pytest.approx(0.4)
    p, q = np.array([0.5, 0.5, 0.0]), np.array([0.8, 0.1, 0.1])
    eps = metrics.KL_EPSILON
    p_s, q_s = (p + eps) / (p + eps).sum(), (q + eps) / (q + eps).sum()
    assert row["kl_divergence"] == pytest.approx(np.sum(p_s * np.log(p_s / q_s)))
    m = (p + q) / 2
    js = np.sqrt(
        0.5 * np.sum(p[p > 0] * np.log2(p[p > 0] / m[p > 0])) + 0.5 * np.sum(q * np.log2(q / m))
    )
    assert row["js_distance"] == pytest.approx(js)


def test_kl_stays_finite_when_synthetic_misses_support():
    real = pd.DataFrame({"x": np.linspace(0, 1, 200)})
    synthetic = pd.DataFrame({"x": np.linspace(5, 6, 200)})
    row = marginal_fidelity(real, synthetic, binning="uniform", n_bins=10).iloc[0]
    assert np.isfinite(row["kl_divergence"]) and row["kl_divergence"] > 5
    assert row["js_distance"] == pytest.approx(1.0)
    assert row["ks_statistic"] == pytest.approx(1.0)


def test_categorical_features_explicit_and_ndarray_input():
    rng = np.random.RandomState(0)
    real = np.column_stack([rng.normal(size=100), rng.randint(0, 3, size=100)])
    by_index = marginal_fidelity(real, real, categorical_features=[1])
    by_mask = marginal_fidelity(real, real, categorical_features=[False, True])
    assert by_index["kind"].tolist() == ["numeric", "categorical"]
    assert by_mask["kind"].tolist() == ["numeric", "categorical"]
    assert by_index["column"].tolist() == [0, 1]
    auto = marginal_fidelity(real, real)
    assert auto["kind"].tolist() == ["numeric", "numeric"]


def test_dataframe_and_array_are_matched_and_reordered():
    real = numeric_sample(100, 0)
    # columns in another order are matched by name
    shuffled = marginal_fidelity(real, real[["c", "a", "b"]])
    assert np.allclose(shuffled["ks_statistic"], 0.0)
    # arrays are matched by position and take the DataFrame's labels
    mixed = marginal_fidelity(real, real.to_numpy())
    assert mixed["column"].tolist() == ["a", "b", "c"]
    assert np.allclose(mixed["ks_statistic"], 0.0)


# ---------------------------------------------------------------------------
# summary_statistics
# ---------------------------------------------------------------------------


def test_summary_statistics_side_by_side():
    real = mixed_sample(200, 0)
    synthetic = mixed_sample(150, 1)
    result = summary_statistics(real, synthetic)
    assert list(result.columns) == ["column", "statistic", "real", "synthetic", "difference"]
    assert result["column"].unique().tolist() == ["a", "b", "c"]
    row = result[(result["column"] == "b") & (result["statistic"] == "std")].iloc[0]
    assert row["real"] == pytest.approx(real["b"].std())
    assert row["synthetic"] == pytest.approx(synthetic["b"].std())
    assert row["difference"] == pytest.approx(synthetic["b"].std() - real["b"].std())
    maxima = result[result["statistic"] == "max"].set_index("column")
    assert maxima.loc["a", "synthetic"] == pytest.approx(synthetic["a"].max())


# ---------------------------------------------------------------------------
# correlation_difference
# ---------------------------------------------------------------------------


def test_correlation_difference_zero_for_identical_data():
    real = mixed_sample(300, 0)
    result = correlation_difference(real, real.copy())
    assert isinstance(result, CorrelationDifference)
    assert result.mean_abs == 0.0
    assert result.max_abs == 0.0
    assert list(result.real.columns) == list(real.columns)
    assert np.allclose(np.diag(result.real), 1.0)
    # Pearson between numeric columns
    assert result.real.loc["a", "b"] == pytest.approx(np.corrcoef(real["a"], real["b"])[0, 1])
    assert result.real.equals(result.real.T)


def test_correlation_difference_positive_for_decorrelated_data():
    real = mixed_sample(1000, 0)
    rng = np.random.RandomState(3)
    decorrelated = real.apply(lambda column: column.sample(frac=1.0, random_state=rng).to_numpy())
    result = correlation_difference(real, decorrelated)
    assert result.mean_abs > 0.05
    assert result.max_abs > 0.4
    assert result.difference.loc["a", "b"] == pytest.approx(-0.6, abs=0.1)
    # eta between a and colour is large in real data, near 0 after shuffling
    assert result.real.loc["a", "colour"] > 0.4
    assert result.synthetic.loc["a", "colour"] < 0.1


def test_correlation_ratio_and_cramers_v_values():
    n = 600
    group = np.repeat(["x", "y", "z"], n // 3)
    frame = pd.DataFrame(
        {
            "value": np.repeat([0.0, 1.0, 5.0], n // 3),
            "group": group,
            "same_group": np.char.add("g", group),
            "independent": np.tile(["p", "q"], n // 2),
        }
    )
    result = correlation_difference(frame, frame)
    assert result.real.loc["value", "group"] == pytest.approx(1.0)
    assert result.real.loc["group", "same_group"] == pytest.approx(1.0)
    assert result.real.loc["group", "independent"] == pytest.approx(0.0, abs=1e-12)


# ---------------------------------------------------------------------------
# detection_score
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("sampler", [numeric_sample, mixed_sample])
def test_detection_auc_near_half_for_same_distribution(sampler):
    auc = detection_score(sampler(600, 0), sampler(600, 1), random_state=0)
    assert abs(auc - 0.5) < 0.1


@pytest.mark.parametrize("sampler", [numeric_sample, mixed_sample])
def test_detection_auc_high_for_shifted_distribution(sampler):
    real = sampler(600, 0)
    same = detection_score(real, sampler(600, 1), random_state=0)
    shifted = detection_score(real, sampler(600, 1, shift=1.5), random_state=0)
    assert shifted > 0.8
    assert shifted > same + 0.2


def test_detection_with_custom_classifier_and_balancing():
    real = numeric_sample(200, 0)
    synthetic = numeric_sample(20_000, 1, shift=2.0)
    auc = detection_score(
        real, synthetic, classifier=LogisticRegression(), cv=3, max_rows=150, random_state=0
    )
    assert auc > 0.9


def test_detection_is_reproducible_and_leaves_global_rng_alone():
    real, synthetic = numeric_sample(300, 0), numeric_sample(2000, 1, scale=1.3)
    state = np.random.get_state()
    first = detection_score(real, synthetic, cv=3, random_state=42)
    second = detection_score(real, synthetic, cv=3, random_state=np.random.RandomState(42))
    # random_state=None draws fresh entropy rather than from the global state.
    detection_score(real, synthetic, cv=3)
    privacy_scores(real, synthetic, holdout=real, max_rows=100)
    comparison_report(real, synthetic, holdout=real, cv=2, max_rows=200)
    after = np.random.get_state()
    assert first == second
    assert after[0] == state[0] and np.array_equal(after[1], state[1]) and after[2] == state[2]


# ---------------------------------------------------------------------------
# privacy_scores
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("sampler", [numeric_sample, mixed_sample])
def test_dcr_ratio_near_one_for_fresh_sample(sampler):
    scores = privacy_scores(
        sampler(600, 0), sampler(600, 1), holdout=sampler(600, 2), random_state=0
    )
    assert set(scores) == {
        "exact_copy_share",
        "dcr_synthetic_median",
        "dcr_holdout_median",
        "dcr_ratio",
        "nndr_synthetic_median",
        "nndr_holdout_median",
    }
    assert 0.7 < scores["dcr_ratio"] < 1.4
    assert scores["exact_copy_share"] == 0.0
    assert 0.0 < scores["nndr_synthetic_median"] < 1.0
    assert scores["nndr_synthetic_median"] == pytest.approx(
        scores["nndr_holdout_median"], abs=0.15
    )


def test_exact_copies_are_counted_exactly():
    train = mixed_sample(200, 0)
    synthetic = pd.concat([train.iloc[:30], mixed_sample(70, 5)], ignore_index=True)
    scores = privacy_scores(train, synthetic, holdout=mixed_sample(200, 9), random_state=0)
    assert scores["exact_copy_share"] == pytest.approx(0.3)
    # copying lowers the distance to the closest record
    assert scores["dcr_ratio"] < 0.9
    # an almost-copy is not an exact copy
    nudged = synthetic.copy()
    nudged.loc[:29, "a"] += 1e-9
    assert privacy_scores(train, nudged)["exact_copy_share"] == pytest.approx(0.0)


def test_exact_copy_share_alone_equals_the_privacy_scores_entry():
    train = mixed_sample(200, 0)
    synthetic = pd.concat([train.iloc[:30], mixed_sample(70, 5)], ignore_index=True)
    assert exact_copy_share(train, synthetic) == pytest.approx(0.3)
    assert (
        exact_copy_share(train, synthetic) == privacy_scores(train, synthetic)["exact_copy_share"]
    )
    with pytest.raises(ValueError, match="synthetic is empty"):
        exact_copy_share(train, train.iloc[:0])


def test_exact_copies_ignore_dtype_differences():
    train = mixed_sample(100, 0)
    synthetic = train.iloc[:40].astype({"colour": "category", "size": object, "flag": object})
    assert privacy_scores(train, synthetic)["exact_copy_share"] == 1.0


def test_pure_copies_have_zero_dcr():
    train = numeric_sample(300, 0).to_numpy()
    scores = privacy_scores(train, train[:100], holdout=numeric_sample(300, 1).to_numpy())
    assert scores["exact_copy_share"] == 1.0
    assert scores["dcr_synthetic_median"] == 0.0
    assert scores["dcr_ratio"] == 0.0
    assert scores["nndr_synthetic_median"] == 0.0


def test_privacy_without_holdout_gives_nan_ratio():
    scores = privacy_scores(numeric_sample(200, 0), numeric_sample(100, 1))
    assert np.isnan(scores["dcr_ratio"])
    assert np.isnan(scores["dcr_holdout_median"])
    assert scores["dcr_synthetic_median"] > 0


# ---------------------------------------------------------------------------
# missing values
# ---------------------------------------------------------------------------

VALUE_METRICS = ["kl_divergence", "js_distance", "ks_statistic", "wasserstein"]


def with_missing(frame, seed, share=0.2):
    """``frame`` with gaps of every spelling: NaN, None, a category's NaN and pd.NA."""
    rng = np.random.RandomState(seed)
    n = len(frame)
    frame = frame.astype({"colour": object})
    frame["count"] = pd.array(rng.poisson(3.0, size=n), dtype="Int64")
    frame.loc[rng.rand(n) < share, "a"] = np.nan
    frame.loc[rng.rand(n) < share, "colour"] = None
    frame["size"] = frame["size"].mask(rng.rand(n) < share)
    frame.loc[rng.rand(n) < share, "count"] = pd.NA
    return frame


def test_marginals_give_missing_shares_and_compare_present_values():
    real = pd.DataFrame(
        {
            "x": [1.0, np.nan, 3.0, 4.0, np.nan],
            "c": pd.Series(["a", None, "b", "a", "b"], dtype=object),
            "k": pd.Categorical(["S", "M", np.nan, "S", "M"]),
            "n": pd.array([1, 2, pd.NA, pd.NA, 5], dtype="Int64"),
        }
    )
    synthetic = pd.DataFrame(
        {
            "x": [2.0, 3.0, 5.0, 1.0],
            "c": pd.Series([None, None, "a", "b"], dtype=object),
            "k": pd.Categorical(["S", "S", "M", "M"]),
            "n": pd.array([pd.NA, 2, 3, 4], dtype="Int64"),
        }
    )
    result = marginal_fidelity(real, synthetic).set_index("column")
    assert result["kind"].tolist() == ["numeric", "categorical", "categorical", "numeric"]
    assert result["missing_real"].tolist() == pytest.approx([2 / 5, 1 / 5, 1 / 5, 2 / 5])
    assert result["missing_synthetic"].tolist() == pytest.approx([0.0, 2 / 4, 0.0, 1 / 4])
    assert result["missing_abs_difference"].tolist() == pytest.approx([0.4, 0.3, 0.2, 0.15])
    for column in real.columns:
        alone = marginal_fidelity(real[[column]].dropna(), synthetic[[column]].dropna())
        np.testing.assert_allclose(
            result.loc[column, VALUE_METRICS].to_numpy(dtype=float),
            alone.loc[0, VALUE_METRICS].to_numpy(dtype=float),
            err_msg=column,
        )
    # the present values of c are a, b, a, b against a, b: no difference
    assert result.loc["c", "ks_statistic"] == pytest.approx(0.0)


def test_date_times_and_durations_are_compared_as_numbers():
    rng = np.random.RandomState(0)
    start = pd.Timestamp("2024-03-01", tz="Europe/Paris")
    seconds = rng.randint(0, 10**6, 300)
    stamps = start + pd.to_timedelta(seconds, unit="s")
    real = pd.DataFrame(
        {
            "when": stamps,
            "naive": stamps.tz_localize(None),
            "boxed": pd.Series(list(stamps.tz_localize(None)), dtype=object),
            "raw": pd.Series(list(stamps.tz_localize(None).to_numpy()), dtype=object),
            "waited": pd.to_timedelta(seconds, unit="s"),
        }
    )
    # The same instants in another unit (and time zone) are the same values.
    same = real.assign(
        when=real["when"].dt.tz_convert("UTC").astype("datetime64[ns, UTC]"),
        waited=real["waited"].astype("timedelta64[ns]"),
    )
    result = marginal_fidelity(real, same)
    assert result["kind"].tolist() == ["numeric"] * 5
    assert result["ks_statistic"].tolist() == pytest.approx([0.0] * 5)
    later = real.assign(when=real["when"] + pd.Timedelta(days=3))
    later.loc[::10, "waited"] = pd.NaT
    result = marginal_fidelity(real, later).set_index("column")
    assert result.loc["when", "ks_statistic"] > 0.2
    assert result.loc["naive", "ks_statistic"] == pytest.approx(0.0)
    assert result.loc["waited", "missing_synthetic"] == pytest.approx(0.1)
    assert detection_score(real, later, random_state=0) > 0.9


def test_column_entirely_missing_in_one_sample_gives_nan_distances():
    real = mixed_sample(100, 0)
    synthetic = mixed_sample(100, 1)
    # all-None columns have object dtype, which must not make "a" categorical
    synthetic["a"] = pd.Series([None] * 100, dtype=object)
    synthetic["colour"] = None
    result = marginal_fidelity(real, synthetic).set_index("column")
    assert result.loc["a", "kind"] == "numeric"
    assert result.loc[["a", "colour"], VALUE_METRICS].isna().all(axis=None)
    assert result.loc[["a", "colour"], "missing_synthetic"].tolist() == [1.0, 1.0]
    assert result.drop(index=["a", "colour"])["js_distance"].notna().all()
    statistics = summary_statistics(real, synthetic).set_index(["column", "statistic"])
    assert np.isnan(statistics.loc[("a", "mean"), "synthetic"])


def test_report_with_missing_values_summarises_the_share_gap():
    real = with_missing(mixed_sample(300, 0), 0)
    synthetic = with_missing(mixed_sample(300, 1), 1, share=0.4)
    report = comparison_report(real, synthetic, cv=3, random_state=0)
    marginals = report.marginals.set_index("column")
    assert marginals.loc["colour", "missing_synthetic"] == pytest.approx(
        synthetic["colour"].isna().mean()
    )
    assert marginals.loc["b", "missing_abs_difference"] == 0.0
    text = report.summary()
    gap = report.marginals["missing_abs_difference"].mean()
    assert f"Missing share: mean |real - synthetic| gap {gap:.3f} over columns" in text
    assert "(4 with missing values)" in text
    assert "Missing synth." in text
    frame = report.to_frame()
    rows = frame[(frame["metric"] == "missing_real") & (frame["column"] == "count")]
    assert rows["value"].item() == pytest.approx(real["count"].isna().mean())
    # per-column metrics that do not apply are left out, the rest are finite
    assert np.isfinite(frame.loc[frame["column"].notna(), "value"]).all()


def test_detection_handles_missing_values():
    real = with_missing(mixed_sample(600, 0), 0)
    same = with_missing(mixed_sample(600, 1), 1)
    assert abs(detection_score(real, same, random_state=0) - 0.5) < 0.1
    # a classifier that refuses NaN gets the imputed values and the indicators
    linear = detection_score(real, same, classifier=LogisticRegression(), cv=3, random_state=0)
    assert abs(linear - 0.5) < 0.1
    # values missing far more often than in the real rows give the sample away
    gappy = with_missing(mixed_sample(600, 1), 1, share=0.6)
    assert detection_score(real, gappy, random_state=0) > 0.75


def test_exact_copies_match_missing_cells_in_the_same_places():
    train = pd.DataFrame({"x": [1.0, np.nan, 3.0], "c": pd.Series(["a", "b", None], dtype=object)})
    # missing values spelled pd.NA in nullable dtypes match NaN and None
    synthetic = pd.DataFrame(
        {
            "x": pd.array([pd.NA, pd.NA, 3.0, 3.0, 0.0], dtype="Float64"),
            "c": pd.array(["b", "a", pd.NA, "nan", "b"], dtype="string"),
        }
    )
    # copies: (NaN, b) and (3, missing); not: a different value, the string "nan",
    # and 0 where the training row has a gap
    assert exact_copy_share(train, synthetic) == pytest.approx(2 / 5)


def test_privacy_with_missing_values_is_finite_and_detects_copies():
    train = with_missing(mixed_sample(400, 0), 0)
    fresh = with_missing(mixed_sample(400, 1), 1)
    scores = privacy_scores(
        train, fresh, holdout=with_missing(mixed_sample(400, 2), 2), random_state=0
    )
    assert np.isfinite(list(scores.values())).all()
    assert 0.7 < scores["dcr_ratio"] < 1.4
    assert train.iloc[:100].isna().any(axis=1).sum() > 30
    copies = privacy_scores(train, train.iloc[:100])
    assert copies["exact_copy_share"] == 1.0
    assert copies["dcr_synthetic_median"] == 0.0
    # a gap met only in synthetic rows has an indicator, so it is at least 1 from any row
    complete = mixed_sample(400, 0)
    gappy = complete.iloc[:100].assign(b=np.nan)
    assert privacy_scores(complete, gappy)["dcr_synthetic_median"] >= 1.0


def test_associations_use_pairwise_present_rows():
    data = with_missing(mixed_sample(500, 0), 3)
    result = correlation_difference(data, data)
    assert np.isfinite(result.real.to_numpy()).all()
    for first, second in [("a", "b"), ("a", "colour"), ("colour", "size"), ("count", "size")]:
        rows = data[[first, second]].dropna()
        alone = correlation_difference(rows, rows).real.loc[first, second]
        assert result.real.loc[first, second] == pytest.approx(alone), (first, second)
    both = data[["a", "b"]].dropna()
    assert result.real.loc["a", "b"] == pytest.approx(np.corrcoef(both["a"], both["b"])[0, 1])
    # a column without present values has undefined associations, reported as 0
    empty = correlation_difference(data, data.assign(b=np.nan, colour=None))
    assert (empty.synthetic.drop(index=["b"])["b"] == 0.0).all()
    assert (empty.synthetic.drop(index=["colour"])["colour"] == 0.0).all()
    assert empty.synthetic.loc["a", "size"] == pytest.approx(result.real.loc["a", "size"])


# ---------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------


def test_mismatched_columns_error_names_the_columns():
    real = numeric_sample(50, 0)
    with pytest.raises(ValueError, match=r"\['c'\] missing from synthetic; pass the same"):
        marginal_fidelity(real, real[["a", "b"]])
    with pytest.raises(ValueError, match=r"\['z'\] missing from real"):
        detection_score(real, real.assign(z=1.0))
    with pytest.raises(ValueError, match="real has 3 columns but synthetic has 2"):
        correlation_difference(real.to_numpy(), real.to_numpy()[:, :2])
    with pytest.raises(ValueError, match=r"\['c'\] missing from holdout"):
        privacy_scores(real, real, holdout=real[["a", "b"]])


def test_infinite_values_error_names_the_column():
    real = mixed_sample(50, 0)
    with pytest.raises(ValueError, match="synthetic has infinite values in column 'a'"):
        summary_statistics(real, real.assign(a=np.inf))
    with_nan = real.assign(b=np.nan)
    with_nan.loc[4, "b"] = -np.inf
    with pytest.raises(ValueError, match="real has infinite values in column 'b'; remove or clip"):
        comparison_report(with_nan, real)


def test_other_input_errors():
    real = mixed_sample(50, 0)
    with pytest.raises(ValueError, match="2-D array"):
        marginal_fidelity(np.zeros(5), np.zeros(5))
    with pytest.raises(ValueError, match="entry 'nope' is neither a column name"):
        marginal_fidelity(real, real, categorical_features=["nope"])
    with pytest.raises(ValueError, match="boolean mask of shape"):
        marginal_fidelity(real, real, categorical_features=[True, False])
    with pytest.raises(ValueError, match="column 'colour' of real is not numeric"):
        marginal_fidelity(real, real, categorical_features=["size"])
    with pytest.raises(ValueError, match="binning must be"):
        marginal_fidelity(real, real, binning="log")
    with pytest.raises(ValueError, match="max_rows"):
        privacy_scores(real, real, max_rows=1)
    with pytest.raises(ValueError, match="empty"):
        marginal_fidelity(real.iloc[:0], real)


def test_package_does_not_import_torch_or_samplers():
    imported = set()
    for module in Path(metrics.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                # A relative import may reach the package's own modules (level 1) only.
                imported.add(f"level {node.level}" if node.level else node.module.split(".")[0])
    assert imported <= {
        "level 1",
        "__future__",
        "numbers",
        "dataclasses",
        "typing",
        "numpy",
        "pandas",
        "scipy",
        "sklearn",
        "threadpoolctl",
    }


# ---------------------------------------------------------------------------
# comparison_report
# ---------------------------------------------------------------------------


def test_comparison_report_frame_and_summary():
    real, synthetic, holdout = mixed_sample(400, 0), mixed_sample(3000, 1), mixed_sample(400, 2)
    report = comparison_report(real, synthetic, holdout=holdout, random_state=0)
    assert isinstance(report, FidelityReport)
    assert (report.n_real, report.n_synthetic, report.n_holdout) == (400, 3000, 400)
    assert abs(report.detection_auc - 0.5) < 0.1
    assert 0.7 < report.privacy["dcr_ratio"] < 1.4

    frame = report.to_frame()
    assert list(frame.columns) == ["metric", "column", "value"]
    assert frame["value"].dtype == float
    ks_a = frame[(frame["metric"] == "ks_statistic") & (frame["column"] == "a")]["value"]
    assert ks_a.item() == pytest.approx(
        report.marginals.set_index("column").loc["a", "ks_statistic"]
    )
    for metric in [
        "detection_auc",
        "dcr_ratio",
        "exact_copy_share",
        "association_max_abs_difference",
    ]:
        rows = frame[frame["metric"] == metric]
        assert len(rows) == 1 and rows["column"].isna().all()
    assert frame[frame["metric"] == "detection_auc"]["value"].item() == report.detection_auc
    assert {"mean_real", "mean_synthetic"} <= set(frame["metric"])
    # Wasserstein is not applicable to categorical columns and is left out
    wasserstein = frame[frame["metric"] == "wasserstein"]
    assert sorted(wasserstein["column"]) == ["a", "b", "c"]

    text = report.summary()
    assert str(report) == text
    assert len(text.splitlines()) < 40
    assert f"Detection ROC-AUC: {report.detection_auc:.3f}" in text
    assert f"{report.privacy['dcr_ratio']:.3f}" in text
    assert f"{report.correlation.mean_abs:.3f}" in text
    assert "Exact copies of real rows: 0.0%" in text
    for column in real.columns:
        assert column in text
    # without missing values the summary does not talk about them
    assert "Missing" not in text
    assert "FidelityReport(n_real=400" in repr(report)


def test_comparison_report_without_holdout_and_reproducible():
    real, synthetic = numeric_sample(200, 0), numeric_sample(300, 1, shift=1.0)
    first = comparison_report(real, synthetic, cv=3, random_state=7)
    second = comparison_report(real, synthetic, cv=3, random_state=7)
    assert first.n_holdout is None
    assert np.isnan(first.privacy["dcr_ratio"])
    assert "DCR ratio: n/a" in first.summary()
    pd.testing.assert_frame_equal(first.to_frame(), second.to_frame())
    assert first.detection_auc > 0.7


def test_large_synthetic_sample_is_subsampled():
    real = mixed_sample(500, 0)
    synthetic = mixed_sample(100_000, 1)
    report = comparison_report(real, synthetic, cv=3, max_rows=2000, random_state=0)
    assert report.n_synthetic == 100_000
    assert abs(report.detection_auc - 0.5) < 0.1
