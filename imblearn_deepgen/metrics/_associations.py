"""Pairwise associations: how far the synthetic correlation structure is from the real one."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ._inputs import _prepare


class CorrelationDifference(NamedTuple):
    """Association matrices of real and synthetic data and their difference.

    Attributes
    ----------
    real, synthetic : DataFrame
        Square association matrices indexed by column.
    difference : DataFrame
        ``synthetic - real``.
    mean_abs, max_abs : float
        Mean and maximum absolute difference over the distinct column pairs
        (0.0 with fewer than two columns).
    """

    real: pd.DataFrame
    synthetic: pd.DataFrame
    difference: pd.DataFrame
    mean_abs: float
    max_abs: float


def _dense(codes):
    """Renumber category codes 0..k-1 after rows were dropped (no empty category)."""
    return np.unique(codes, return_inverse=True)[1]


def _correlation_ratio(values, codes):
    present = ~np.isnan(values) & (codes >= 0)
    if present.sum() < 2:
        return 0.0
    if not present.all():
        values, codes = values[present], _dense(codes[present])
    counts = np.bincount(codes)
    means = np.bincount(codes, weights=values) / counts
    total = ((values - values.mean()) ** 2).sum()
    if total <= 0:
        return 0.0
    between = (counts * (means - values.mean()) ** 2).sum()
    return float(np.sqrt(min(between / total, 1.0)))


def _cramers_v(codes_a, codes_b):
    present = (codes_a >= 0) & (codes_b >= 0)
    n = int(present.sum())
    if n < 2:
        return 0.0
    if n < codes_a.size:
        codes_a, codes_b = _dense(codes_a[present]), _dense(codes_b[present])
    n_a, n_b = codes_a.max() + 1, codes_b.max() + 1
    if n_a < 2 or n_b < 2:
        return 0.0
    table = np.bincount(codes_a * n_b + codes_b, minlength=n_a * n_b).reshape(n_a, n_b)
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    phi2 = ((table - expected) ** 2 / expected).sum() / n
    phi2_corrected = max(0.0, phi2 - (n_a - 1) * (n_b - 1) / (n - 1))
    rows_corrected = n_a - (n_a - 1) ** 2 / (n - 1)
    cols_corrected = n_b - (n_b - 1) ** 2 / (n - 1)
    denominator = min(rows_corrected, cols_corrected) - 1
    if denominator <= 0:
        return 0.0
    return float(np.sqrt(min(phi2_corrected / denominator, 1.0)))


def _association_matrix(frame, numeric, categorical):
    columns = list(frame.columns)
    position = {column: i for i, column in enumerate(columns)}
    matrix = np.eye(len(columns))
    num_idx = [position[c] for c in numeric]
    # Pairwise-complete Pearson; pandas gives NaN for a constant column or fewer than two
    # shared rows, reported as 0 like the other undefined associations.
    pearson = frame[numeric].corr().fillna(0.0).to_numpy()
    matrix[np.ix_(num_idx, num_idx)] = np.clip(pearson, -1.0, 1.0)
    values = frame[numeric].to_numpy(dtype=float)
    # pd.factorize codes a missing value as -1, which the helpers leave out
    codes = {c: pd.factorize(frame[c])[0] for c in categorical}
    for cat in categorical:
        for j, num in enumerate(numeric):
            eta = _correlation_ratio(values[:, j], codes[cat])
            matrix[position[cat], position[num]] = matrix[position[num], position[cat]] = eta
    for a, cat_a in enumerate(categorical):
        for cat_b in categorical[a + 1 :]:
            v = _cramers_v(codes[cat_a], codes[cat_b])
            matrix[position[cat_a], position[cat_b]] = matrix[position[cat_b], position[cat_a]] = v
    np.fill_diagonal(matrix, 1.0)
    return pd.DataFrame(matrix, index=columns, columns=columns)


def _correlation(prepared, real_name, synthetic_name):
    args = (prepared.numeric, prepared.categorical)
    real = _association_matrix(prepared.frames[real_name], *args)
    synthetic = _association_matrix(prepared.frames[synthetic_name], *args)
    difference = synthetic - real
    pairs = np.abs(difference.to_numpy()[np.triu_indices(len(real), k=1)])
    mean_abs = float(pairs.mean()) if pairs.size else 0.0
    max_abs = float(pairs.max()) if pairs.size else 0.0
    return CorrelationDifference(real, synthetic, difference, mean_abs, max_abs)


def correlation_difference(real, synthetic, *, categorical_features=None):
    """Compare pairwise associations between columns.

    The association between two numeric columns is Pearson's correlation (in
    [-1, 1]); between a numeric and a categorical column the correlation ratio
    eta (in [0, 1]); between two categorical columns the bias-corrected Cramer's V
    (Bergsma, 2013; in [0, 1]). Each association is computed on the rows where both
    columns are present. Associations that are undefined because a column is
    constant, or because fewer than two rows have both values, are reported as 0.
    The diagonal is 1.

    Parameters
    ----------
    real, synthetic : DataFrame or ndarray of shape (n_samples, n_features)
        Real and synthetic samples with the same columns.
    categorical_features : None, list of names or positions, or bool mask, default=None
        Which columns are categorical; ``None`` uses the dtypes.

    Returns
    -------
    CorrelationDifference
        Named tuple with the ``real`` and ``synthetic`` association matrices, their
        ``difference`` (synthetic minus real) and the mean and maximum absolute
        difference over distinct column pairs (``mean_abs``, ``max_abs``).

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_deepgen.metrics import correlation_difference
    >>> x = np.linspace(0.0, 1.0, 50)
    >>> real = np.column_stack([x, 2 * x])
    >>> synthetic = np.column_stack([x, x[::-1]])
    >>> result = correlation_difference(real, synthetic)
    >>> print(result.difference.round(2))
         0    1
    0  0.0 -2.0
    1 -2.0  0.0
    >>> round(result.mean_abs, 2), round(result.max_abs, 2)
    (2.0, 2.0)
    """
    prepared = _prepare({"real": real, "synthetic": synthetic}, categorical_features)
    return _correlation(prepared, "real", "synthetic")
