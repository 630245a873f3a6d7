"""Per-column comparisons: marginal distributions and summary statistics."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial.distance import jensenshannon

from ._inputs import _check_bins, _prepare

#: Pseudo-count added to every bin probability before computing the KL divergence.
KL_EPSILON = 1e-6

_MARGINAL_METRICS = ["kl_divergence", "js_distance", "ks_statistic", "wasserstein"]
_MISSING_METRICS = ["missing_real", "missing_synthetic", "missing_abs_difference"]


def _numeric_bin_edges(real, synthetic, n_bins, binning):
    pooled = np.concatenate([real, synthetic])
    low, high = pooled.min(), pooled.max()
    if low == high:
        return np.array([low - 0.5, high + 0.5])
    if binning == "quantile":
        edges = np.unique(np.quantile(pooled, np.linspace(0.0, 1.0, n_bins + 1)))
        if edges.size >= 2:
            return edges
    return np.linspace(low, high, n_bins + 1)


def _kl_js(p, q):
    kl = float(stats.entropy(p + KL_EPSILON, q + KL_EPSILON))
    js = float(jensenshannon(p, q, base=2))
    return max(kl, 0.0), js


def _value_metrics(real, synthetic, is_categorical, n_bins, binning):
    """Distances between the present values of one column (no NaN left)."""
    if real.size == 0 or synthetic.size == 0:
        return [np.nan] * len(_MARGINAL_METRICS)
    if is_categorical:
        categories = pd.unique(np.concatenate([real, synthetic]))
        p = pd.Series(real).value_counts(normalize=True).reindex(categories, fill_value=0.0)
        q = pd.Series(synthetic).value_counts(normalize=True).reindex(categories, fill_value=0.0)
        p, q = p.to_numpy(dtype=float), q.to_numpy(dtype=float)
        kl, js = _kl_js(p, q)
        distance = 0.5 * float(np.abs(p - q).sum())
        return [kl, js, distance, np.nan]
    edges = _numeric_bin_edges(real, synthetic, n_bins, binning)
    p = np.histogram(real, bins=edges)[0] / len(real)
    q = np.histogram(synthetic, bins=edges)[0] / len(synthetic)
    kl, js = _kl_js(p, q)
    ks = float(stats.ks_2samp(real, synthetic).statistic)
    mean, std = real.mean(), real.std()
    std = std if std > 0 else 1.0
    wasserstein = float(stats.wasserstein_distance((real - mean) / std, (synthetic - mean) / std))
    return [kl, js, ks, wasserstein]


def _marginal_row(column, real, synthetic, is_categorical, n_bins, binning):
    real_missing, synthetic_missing = pd.isna(real), pd.isna(synthetic)
    share_real, share_synthetic = float(real_missing.mean()), float(synthetic_missing.mean())
    metrics = _value_metrics(
        real[~real_missing], synthetic[~synthetic_missing], is_categorical, n_bins, binning
    )
    kind = "categorical" if is_categorical else "numeric"
    return [
        column,
        kind,
        *metrics,
        share_real,
        share_synthetic,
        abs(share_synthetic - share_real),
    ]


def _marginals(prepared, real_name, synthetic_name, n_bins, binning):
    real, synthetic = prepared.frames[real_name], prepared.frames[synthetic_name]
    categorical = set(prepared.categorical)
    rows = [
        _marginal_row(
            column,
            real[column].to_numpy(),
            synthetic[column].to_numpy(),
            column in categorical,
            n_bins,
            binning,
        )
        for column in real.columns
    ]
    return pd.DataFrame(rows, columns=["column", "kind", *_MARGINAL_METRICS, *_MISSING_METRICS])


def marginal_fidelity(
    real, synthetic, *, categorical_features=None, n_bins=20, binning="quantile"
):
    """Compare the one-dimensional distribution of every column.

    Parameters
    ----------
    real, synthetic : DataFrame or ndarray of shape (n_samples, n_features)
        Real and synthetic samples with the same columns.
    categorical_features : None, list of names or positions, or bool mask, default=None
        Which columns are categorical; ``None`` uses the dtypes (see module docstring).
    n_bins : int, default=20
        Number of bins used to discretise numeric columns for the KL divergence and
        the Jensen-Shannon distance.
    binning : {"quantile", "uniform"}, default="quantile"
        Bin edges for numeric columns, computed on the pooled real and synthetic
        values: quantiles of the pooled values (duplicated edges are merged) or
        equal-width bins between the pooled minimum and maximum.

    Returns
    -------
    DataFrame
        One row per column with the fields

        * ``column`` and ``kind`` (``"numeric"`` or ``"categorical"``);
        * ``kl_divergence``: KL(real || synthetic) between the binned (numeric) or
          category (categorical) frequencies; every frequency gets a pseudo-count of
          :data:`KL_EPSILON` so the value stays finite when synthetic misses a bin;
        * ``js_distance``: Jensen-Shannon distance in base 2 on the same
          frequencies (0 = identical, 1 = disjoint support);
        * ``ks_statistic``: two-sample Kolmogorov-Smirnov statistic for numeric
          columns; for categorical columns the total-variation distance
          ``0.5 * sum(|p - q|)`` of the category frequencies (both lie in [0, 1]);
        * ``wasserstein``: 1-Wasserstein distance after standardising both samples
          with the real column's mean and standard deviation (NaN for categorical
          columns);
        * ``missing_real``, ``missing_synthetic``: share of rows whose value is
          missing (NaN, None, ``pd.NA`` or ``NaT``) in each sample;
        * ``missing_abs_difference``: ``|missing_synthetic - missing_real|``.

        The four distances compare the present values only, so a synthetic sample
        that drops values at the wrong rate shows up in the missing shares, not in
        the distances. They are NaN when a sample has no present value in the
        column.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from imblearn_deepgen.metrics import marginal_fidelity
    >>> real = pd.DataFrame({"x": np.arange(100.0), "c": ["a", "b"] * 50})
    >>> synthetic = pd.DataFrame({"x": np.arange(100.0) + 10, "c": ["a"] * 60 + ["b"] * 40})
    >>> result = marginal_fidelity(real, synthetic).round(3)
    >>> result[["column", "kind", "kl_divergence", "js_distance", "ks_statistic", "wasserstein"]]
      column         kind  kl_divergence  js_distance  ks_statistic  wasserstein
    0      x      numeric          1.151        0.316           0.1        0.346
    1      c  categorical          0.020        0.085           0.1          NaN
    >>> synthetic.loc[:19, "c"] = None
    >>> result = marginal_fidelity(real, synthetic)
    >>> result[["column", "missing_real", "missing_synthetic", "missing_abs_difference"]]
      column  missing_real  missing_synthetic  missing_abs_difference
    0      x           0.0                0.0                     0.0
    1      c           0.0                0.2                     0.2
    """
    _check_bins(n_bins, binning)
    prepared = _prepare({"real": real, "synthetic": synthetic}, categorical_features)
    return _marginals(prepared, "real", "synthetic", n_bins, binning)


def _statistics(prepared, real_name, synthetic_name):
    real, synthetic = prepared.frames[real_name], prepared.frames[synthetic_name]
    rows = []
    for column in prepared.numeric:
        for statistic in ("mean", "std", "min", "max"):
            r = float(getattr(real[column], statistic)())
            s = float(getattr(synthetic[column], statistic)())
            rows.append([column, statistic, r, s, s - r])
    return pd.DataFrame(rows, columns=["column", "statistic", "real", "synthetic", "difference"])


def summary_statistics(real, synthetic, *, categorical_features=None):
    """Mean, standard deviation, minimum and maximum of every numeric column.

    Parameters
    ----------
    real, synthetic : DataFrame or ndarray of shape (n_samples, n_features)
        Real and synthetic samples with the same columns.
    categorical_features : None, list of names or positions, or bool mask, default=None
        Which columns are categorical (they are skipped).

    Returns
    -------
    DataFrame
        Tidy frame with one row per (numeric column, statistic) and the fields
        ``column``, ``statistic`` (``"mean"``, ``"std"``, ``"min"``, ``"max"``),
        ``real``, ``synthetic`` and ``difference`` (synthetic minus real). The
        statistics are computed on the present values (NaN when a column has
        none); the standard deviation uses ``ddof=1``.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_deepgen.metrics import summary_statistics
    >>> real = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]])
    >>> summary_statistics(real, real * 2).round(2)
       column statistic  real  synthetic  difference
    0       0      mean   2.0        4.0         2.0
    1       0       std   1.0        2.0         1.0
    2       0       min   1.0        2.0         1.0
    3       0       max   3.0        6.0         3.0
    4       1      mean  20.0       40.0        20.0
    5       1       std  10.0       20.0        10.0
    6       1       min  10.0       20.0        10.0
    7       1       max  30.0       60.0        30.0
    """
    prepared = _prepare({"real": real, "synthetic": synthetic}, categorical_features)
    return _statistics(prepared, "real", "synthetic")
