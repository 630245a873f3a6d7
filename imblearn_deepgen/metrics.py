"""Fidelity, detectability and privacy metrics for synthetic tabular data.

Every function compares a ``real`` sample with a ``synthetic`` sample that has the
same columns. Both may be pandas DataFrames (columns are matched by name) or 2-D
NumPy arrays (columns are matched by position). Each column is either numeric or
categorical, as decided by ``categorical_features``:

* ``None`` (default): columns with a non-numeric dtype (pandas ``category``,
  ``object``, ``string``) or a ``bool`` dtype are categorical, all others numeric;
* a list of column names or integer positions of the categorical columns;
* a boolean mask with one entry per column.

Missing or infinite values are rejected with a ``ValueError`` naming the column.

The module only needs NumPy, SciPy, pandas and scikit-learn.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial.distance import jensenshannon
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state
from threadpoolctl import threadpool_limits

__all__ = [
    "CorrelationDifference",
    "FidelityReport",
    "comparison_report",
    "correlation_difference",
    "detection_score",
    "marginal_fidelity",
    "privacy_scores",
    "summary_statistics",
]

#: Pseudo-count added to every bin probability before computing the KL divergence.
KL_EPSILON = 1e-6

_MARGINAL_METRICS = ["kl_divergence", "js_distance", "ks_statistic", "wasserstein"]


# ---------------------------------------------------------------------------
# Shared helpers: input validation, column kinds, encoding
# ---------------------------------------------------------------------------


class _Prepared(NamedTuple):
    frames: dict  # name -> validated DataFrame (numeric float64, categorical object)
    numeric: list
    categorical: list


def _as_frame(data, name):
    if isinstance(data, pd.DataFrame):
        frame = data
    else:
        array = np.asarray(data)
        if array.ndim != 2:
            raise ValueError(
                f"{name} must be a DataFrame or a 2-D array, got an array with {array.ndim} "
                "dimension(s); reshape it to (n_samples, n_features)"
            )
        frame = pd.DataFrame(array)
        if array.dtype == object:
            frame = frame.infer_objects()
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise ValueError(
            f"{name} is empty (shape {frame.shape}); pass at least one row and one column"
        )
    if frame.columns.has_duplicates:
        duplicated = list(frame.columns[frame.columns.duplicated()])
        raise ValueError(f"{name} has duplicated columns {duplicated!r}; rename them")
    return frame


def _is_categorical_dtype(series):
    return pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series)


def _resolve_categorical(columns, categorical_features, frames):
    if categorical_features is None:
        return [c for c in columns if any(_is_categorical_dtype(f[c]) for f in frames)]
    if isinstance(categorical_features, (str, bytes, numbers.Number)):
        raise TypeError(
            "categorical_features must be None, a list of column names or positions, or a "
            f"boolean mask, got {categorical_features!r}; wrap a single column in a list"
        )
    mask = np.asarray(categorical_features)
    if mask.dtype == bool:
        if mask.shape != (len(columns),):
            raise ValueError(
                f"categorical_features is a boolean mask of shape {mask.shape} but the data "
                f"has {len(columns)} columns; pass one entry per column"
            )
        return [c for c, is_cat in zip(columns, mask, strict=True) if is_cat]
    selected = []
    for item in categorical_features:
        if item in columns:
            column = item
        elif isinstance(item, numbers.Integral) and -len(columns) <= item < len(columns):
            column = columns[int(item)]
        else:
            raise ValueError(
                f"categorical_features entry {item!r} is neither a column name nor a valid "
                f"column position; use names from {list(columns)!r} or positions "
                f"0..{len(columns) - 1}"
            )
        if column not in selected:
            selected.append(column)
    return [c for c in columns if c in selected]


def _prepare(data, categorical_features=None):
    """Validate and align several samples that must share the same columns.

    ``data`` maps a name (used in error messages) to a DataFrame or 2-D array;
    ``None`` values are skipped. The first DataFrame found defines the column
    labels; arrays are matched by position.
    """
    raw = {name: value for name, value in data.items() if value is not None}
    frames = {name: _as_frame(value, name) for name, value in raw.items()}
    names = list(frames)
    ref_name = next((n for n in names if isinstance(raw[n], pd.DataFrame)), names[0])
    columns = frames[ref_name].columns
    for name in names:
        frame = frames[name]
        if isinstance(raw[name], pd.DataFrame):
            missing = [c for c in columns if c not in frame.columns]
            extra = [c for c in frame.columns if c not in columns]
            if missing or extra:
                parts = [f"{missing!r} missing from {name}"] if missing else []
                parts += [f"{extra!r} missing from {ref_name}"] if extra else []
                first, second = sorted([ref_name, name], key=names.index)
                raise ValueError(
                    f"{first} and {second} have different columns: {' and '.join(parts)}; "
                    "pass the same columns"
                )
            frames[name] = frame[list(columns)]
        elif frame.shape[1] != len(columns):
            raise ValueError(
                f"{ref_name} has {len(columns)} columns but {name} has {frame.shape[1]}; "
                "pass the same columns"
            )
        else:
            frames[name] = frame.set_axis(columns, axis=1)

    for name, frame in frames.items():
        missing_values = list(frame.columns[frame.isna().to_numpy().any(axis=0)])
        if missing_values:
            raise ValueError(
                f"{name} has missing values in column(s) {missing_values!r}; drop or impute "
                "them before computing metrics"
            )

    categorical = _resolve_categorical(columns, categorical_features, list(frames.values()))
    numeric = [c for c in columns if c not in categorical]
    for name, frame in frames.items():
        converted = {}
        for column in numeric:
            try:
                values = pd.to_numeric(frame[column]).to_numpy(dtype=float)
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    f"column {column!r} of {name} is not numeric; list it in categorical_features"
                ) from exc
            if not np.isfinite(values).all():
                raise ValueError(
                    f"{name} has infinite values in column {column!r}; remove or clip them "
                    "before computing metrics"
                )
            converted[column] = values
        for column in categorical:
            # plain object dtype everywhere, so all frames hash and compare alike
            converted[column] = pd.Series(frame[column].to_numpy(dtype=object), dtype=object)
        frames[name] = pd.DataFrame(converted, columns=columns)
    return _Prepared(frames, numeric, categorical)


def _subsample(frame, max_rows, rng):
    """Return at most ``max_rows`` rows of ``frame``, drawn without replacement."""
    if len(frame) <= max_rows:
        return frame
    index = np.sort(rng.choice(len(frame), size=max_rows, replace=False))
    return frame.iloc[index]


def _check_bins(n_bins, binning):
    if binning not in ("quantile", "uniform"):
        raise ValueError(f"binning must be 'quantile' or 'uniform', got {binning!r}")
    if not isinstance(n_bins, numbers.Integral) or n_bins < 1:
        raise ValueError(f"n_bins must be a positive integer, got {n_bins!r}")


def _check_max_rows(max_rows):
    if not isinstance(max_rows, numbers.Integral) or max_rows < 2:
        raise ValueError(f"max_rows must be an integer >= 2, got {max_rows!r}")


class _TabularEncoder:
    """Standardise numeric columns and one-hot encode categorical columns.

    The means, standard deviations and category lists are learned by ``fit``;
    categories unseen during ``fit`` are encoded as all-zero rows.
    """

    def __init__(self, numeric, categorical):
        self.numeric = list(numeric)
        self.categorical = list(categorical)

    def fit(self, frame):
        values = frame[self.numeric].to_numpy(dtype=float)
        self.mean_ = values.mean(axis=0)
        scale = values.std(axis=0)
        self.scale_ = np.where(scale > 0, scale, 1.0)
        self.categories_ = [pd.Index(pd.unique(frame[c])) for c in self.categorical]
        return self

    def transform(self, frame):
        parts = [(frame[self.numeric].to_numpy(dtype=float) - self.mean_) / self.scale_]
        rows = np.arange(len(frame))
        for column, categories in zip(self.categorical, self.categories_, strict=True):
            codes = categories.get_indexer(frame[column])
            onehot = np.zeros((len(frame), len(categories)))
            seen = codes >= 0
            onehot[rows[seen], codes[seen]] = 1.0
            parts.append(onehot)
        return np.hstack(parts)


# ---------------------------------------------------------------------------
# Marginal distributions
# ---------------------------------------------------------------------------


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


def _marginal_row(column, real, synthetic, is_categorical, n_bins, binning):
    if is_categorical:
        categories = pd.unique(np.concatenate([real, synthetic]))
        p = pd.Series(real).value_counts(normalize=True).reindex(categories, fill_value=0.0)
        q = pd.Series(synthetic).value_counts(normalize=True).reindex(categories, fill_value=0.0)
        p, q = p.to_numpy(dtype=float), q.to_numpy(dtype=float)
        kl, js = _kl_js(p, q)
        distance = 0.5 * float(np.abs(p - q).sum())
        return [column, "categorical", kl, js, distance, np.nan]
    edges = _numeric_bin_edges(real, synthetic, n_bins, binning)
    p = np.histogram(real, bins=edges)[0] / len(real)
    q = np.histogram(synthetic, bins=edges)[0] / len(synthetic)
    kl, js = _kl_js(p, q)
    ks = float(stats.ks_2samp(real, synthetic).statistic)
    mean, std = real.mean(), real.std()
    std = std if std > 0 else 1.0
    wasserstein = float(stats.wasserstein_distance((real - mean) / std, (synthetic - mean) / std))
    return [column, "numeric", kl, js, ks, wasserstein]


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
    return pd.DataFrame(rows, columns=["column", "kind", *_MARGINAL_METRICS])


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
          columns).

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from imblearn_deepgen.metrics import marginal_fidelity
    >>> real = pd.DataFrame({"x": np.arange(100.0), "c": ["a", "b"] * 50})
    >>> synthetic = pd.DataFrame({"x": np.arange(100.0) + 10, "c": ["a"] * 60 + ["b"] * 40})
    >>> marginal_fidelity(real, synthetic).round(3)
      column         kind  kl_divergence  js_distance  ks_statistic  wasserstein
    0      x      numeric          1.151        0.316           0.1        0.346
    1      c  categorical          0.020        0.085           0.1          NaN
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
        standard deviation uses ``ddof=1``.

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


# ---------------------------------------------------------------------------
# Pairwise associations
# ---------------------------------------------------------------------------


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


def _correlation_ratio(values, codes):
    counts = np.bincount(codes)
    means = np.bincount(codes, weights=values) / counts
    total = ((values - values.mean()) ** 2).sum()
    if total <= 0:
        return 0.0
    between = (counts * (means - values.mean()) ** 2).sum()
    return float(np.sqrt(min(between / total, 1.0)))


def _cramers_v(codes_a, codes_b):
    n_a, n_b = codes_a.max() + 1, codes_b.max() + 1
    n = codes_a.size
    if n < 2 or n_a < 2 or n_b < 2:
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
    values = frame[numeric].to_numpy(dtype=float)
    centred = values - values.mean(axis=0)
    norms = np.sqrt((centred**2).sum(axis=0))
    centred = np.divide(centred, norms, out=np.zeros_like(centred), where=norms > 0)
    pearson = np.clip(centred.T @ centred, -1.0, 1.0)
    matrix[np.ix_(num_idx, num_idx)] = pearson
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
    (Bergsma, 2013; in [0, 1]). Associations that are undefined because a column is
    constant are reported as 0. The diagonal is 1.

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


# ---------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------


def _detection(prepared, real_name, synthetic_name, classifier, cv, max_rows, rng):
    real, synthetic = prepared.frames[real_name], prepared.frames[synthetic_name]
    n = min(len(real), len(synthetic), max_rows)
    n_splits = cv if isinstance(cv, numbers.Integral) else 2
    if n < n_splits:
        raise ValueError(
            f"detection needs at least cv={n_splits} rows in each of real and synthetic, "
            f"got {n}; pass more rows or a smaller cv"
        )
    seed = rng.randint(np.iinfo(np.int32).max)
    data = pd.concat([_subsample(real, n, rng), _subsample(synthetic, n, rng)], ignore_index=True)
    X = _TabularEncoder(prepared.numeric, prepared.categorical).fit(data).transform(data)
    y = np.repeat([0, 1], n)
    if isinstance(cv, numbers.Integral):
        cv = StratifiedKFold(n_splits=int(cv), shuffle=True, random_state=seed)
    if classifier is not None:
        scores = cross_val_score(clone(classifier), X, y, cv=cv, scoring="roc_auc")
        return float(np.mean(scores))
    # A single OpenMP thread is fast at this size and avoids the heavy slowdown that
    # multi-threaded gradient boosting suffers on busy machines.
    with threadpool_limits(limits=1, user_api="openmp"):
        estimator = HistGradientBoostingClassifier(random_state=seed)
        scores = cross_val_score(estimator, X, y, cv=cv, scoring="roc_auc")
    return float(np.mean(scores))


def detection_score(
    real,
    synthetic,
    *,
    categorical_features=None,
    classifier=None,
    cv=5,
    max_rows=5000,
    random_state=None,
):
    """Cross-validated ROC-AUC of a classifier that tells real from synthetic rows.

    The larger of the two samples is subsampled (without replacement) to the size
    of the smaller one, and both are capped at ``max_rows`` rows, so the task is
    balanced. Features are the numeric columns standardised and the categorical
    columns one-hot encoded (fitted on the pooled rows, which carries no label
    information).

    Parameters
    ----------
    real, synthetic : DataFrame or ndarray of shape (n_samples, n_features)
        Real and synthetic samples with the same columns.
    categorical_features : None, list of names or positions, or bool mask, default=None
        Which columns are categorical; ``None`` uses the dtypes.
    classifier : classifier or None, default=None
        Unfitted scikit-learn classifier with ``predict_proba`` or
        ``decision_function``; it is cloned. ``None`` uses a
        :class:`~sklearn.ensemble.HistGradientBoostingClassifier` with default
        hyper-parameters, which also catches non-linear differences (variances,
        interactions) that a linear model would miss. It is run with a single
        OpenMP thread (via ``threadpoolctl``, a scikit-learn dependency), which is
        fast for ``max_rows`` up to a few thousand.
    cv : int or cross-validation splitter, default=5
        Number of stratified, shuffled folds, or a splitter object.
    max_rows : int, default=5000
        Maximum number of rows used from each sample.
    random_state : int, RandomState instance or None, default=None
        Controls subsampling, fold shuffling and the default classifier. The
        global NumPy random state is never used.

    Returns
    -------
    float
        Mean ROC-AUC over the folds: about 0.5 when the samples cannot be told
        apart, 1.0 when they are perfectly separable. Values a little below 0.5
        are noise.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_deepgen.metrics import detection_score
    >>> rng = np.random.RandomState(0)
    >>> real = rng.normal(size=(300, 3))
    >>> auc = detection_score(real, real + 3.0, random_state=0)
    >>> print(f"{auc:.1f}")
    1.0
    """
    _check_max_rows(max_rows)
    prepared = _prepare({"real": real, "synthetic": synthetic}, categorical_features)
    rng = check_random_state(random_state)
    return _detection(prepared, "real", "synthetic", classifier, cv, max_rows, rng)


# ---------------------------------------------------------------------------
# Privacy
# ---------------------------------------------------------------------------


def _median_distances(index, encoder, frame):
    distances, _ = index.kneighbors(encoder.transform(frame))
    dcr = float(np.median(distances[:, 0]))
    if distances.shape[1] < 2:
        return dcr, np.nan
    first, second = distances[:, 0], distances[:, 1]
    nndr = np.divide(first, second, out=np.zeros_like(first), where=second > 0)
    return dcr, float(np.median(nndr))


def _privacy(prepared, train_name, synthetic_name, holdout_name, max_rows, rng):
    train, synthetic = prepared.frames[train_name], prepared.frames[synthetic_name]
    train_keys = pd.util.hash_pandas_object(train, index=False).to_numpy()
    synthetic_keys = pd.util.hash_pandas_object(synthetic, index=False).to_numpy()
    exact_copy_share = float(np.isin(synthetic_keys, train_keys).mean())

    encoder = _TabularEncoder(prepared.numeric, prepared.categorical).fit(train)
    index = NearestNeighbors(n_neighbors=min(2, len(train))).fit(encoder.transform(train))
    dcr_synthetic, nndr_synthetic = _median_distances(
        index, encoder, _subsample(synthetic, max_rows, rng)
    )
    dcr_holdout = nndr_holdout = dcr_ratio = np.nan
    if holdout_name in prepared.frames:
        holdout = _subsample(prepared.frames[holdout_name], max_rows, rng)
        dcr_holdout, nndr_holdout = _median_distances(index, encoder, holdout)
        if dcr_holdout > 0:
            dcr_ratio = dcr_synthetic / dcr_holdout
    return {
        "exact_copy_share": exact_copy_share,
        "dcr_synthetic_median": dcr_synthetic,
        "dcr_holdout_median": dcr_holdout,
        "dcr_ratio": dcr_ratio,
        "nndr_synthetic_median": nndr_synthetic,
        "nndr_holdout_median": nndr_holdout,
    }


def privacy_scores(
    train,
    synthetic,
    *,
    holdout=None,
    categorical_features=None,
    max_rows=5000,
    random_state=None,
):
    """Distance-based checks of whether synthetic rows copy training rows.

    Rows are compared after standardising numeric columns and one-hot encoding
    categorical columns, both fitted on ``train``, with Euclidean distances. The
    distance to closest record (DCR) of a row is its distance to the nearest
    training row. A generator that memorises its training data produces synthetic
    rows that are closer to the training rows than fresh real rows are.

    Parameters
    ----------
    train : DataFrame or ndarray of shape (n_train, n_features)
        Rows the generator was trained on. All of them are used as the reference
        set.
    synthetic : DataFrame or ndarray of shape (n_synthetic, n_features)
        Generated rows.
    holdout : DataFrame, ndarray or None, default=None
        Real rows from the same distribution that were *not* used for training.
        Without it, the holdout entries and ``dcr_ratio`` are NaN (the training
        set is not split, so its rows stay the reference set).
    categorical_features : None, list of names or positions, or bool mask, default=None
        Which columns are categorical; ``None`` uses the dtypes.
    max_rows : int, default=5000
        Synthetic and holdout rows are subsampled to at most this many rows for
        the distance computations. ``exact_copy_share`` always uses all rows.
    random_state : int, RandomState instance or None, default=None
        Controls the subsampling.

    Returns
    -------
    dict of str to float
        * ``exact_copy_share``: share of synthetic rows identical to some training
          row (all columns equal);
        * ``dcr_synthetic_median``, ``dcr_holdout_median``: median DCR of synthetic
          and of holdout rows;
        * ``dcr_ratio``: ``dcr_synthetic_median / dcr_holdout_median``; about 1 for
          a fresh sample of the training distribution, much smaller than 1 when
          synthetic rows are (near) copies, NaN without holdout;
        * ``nndr_synthetic_median``, ``nndr_holdout_median``: median ratio of the
          distances to the closest and second-closest training rows (in [0, 1];
          values near 0 mean a row sits on top of one training record). A row whose
          two closest training rows are both at distance 0 counts as 0.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_deepgen.metrics import privacy_scores
    >>> rng = np.random.RandomState(0)
    >>> train, holdout = rng.normal(size=(200, 2)), rng.normal(size=(200, 2))
    >>> synthetic = np.vstack([train[:50], rng.normal(size=(150, 2))])
    >>> scores = privacy_scores(train, synthetic, holdout=holdout, random_state=0)
    >>> print(scores["exact_copy_share"])
    0.25
    >>> print(scores["dcr_ratio"] < 1)
    True
    """
    _check_max_rows(max_rows)
    prepared = _prepare(
        {"train": train, "synthetic": synthetic, "holdout": holdout}, categorical_features
    )
    rng = check_random_state(random_state)
    return _privacy(prepared, "train", "synthetic", "holdout", max_rows, rng)


# ---------------------------------------------------------------------------
# Combined report
# ---------------------------------------------------------------------------


@dataclass(repr=False)
class FidelityReport:
    """Results of :func:`comparison_report`.

    Attributes
    ----------
    marginals : DataFrame
        Output of :func:`marginal_fidelity`.
    statistics : DataFrame
        Output of :func:`summary_statistics`.
    correlation : CorrelationDifference
        Output of :func:`correlation_difference`.
    detection_auc : float
        Output of :func:`detection_score`.
    privacy : dict of str to float
        Output of :func:`privacy_scores` with ``real`` as the training rows.
    n_real, n_synthetic : int
        Number of rows compared.
    n_holdout : int or None
        Number of holdout rows, ``None`` when no holdout was given.
    """

    marginals: pd.DataFrame
    statistics: pd.DataFrame
    correlation: CorrelationDifference
    detection_auc: float
    privacy: dict
    n_real: int
    n_synthetic: int
    n_holdout: int | None = None

    def to_frame(self):
        """All metrics as one tidy long DataFrame.

        Returns
        -------
        DataFrame
            Columns ``metric``, ``column`` and ``value``. Per-column metrics carry
            the column label (marginal metrics keep their names; summary
            statistics are named like ``"mean_real"`` and ``"mean_synthetic"``);
            dataset-level metrics have ``column=None``. Marginal metrics that do
            not apply (Wasserstein of categorical columns) are left out.
        """
        marginal = self.marginals.melt(
            id_vars="column", value_vars=_MARGINAL_METRICS, var_name="metric"
        ).dropna(subset=["value"])
        statistics = self.statistics.melt(
            id_vars=["column", "statistic"], value_vars=["real", "synthetic"], var_name="source"
        )
        statistics["metric"] = statistics["statistic"] + "_" + statistics["source"]
        scalars = {
            "association_mean_abs_difference": self.correlation.mean_abs,
            "association_max_abs_difference": self.correlation.max_abs,
            "detection_auc": self.detection_auc,
            **self.privacy,
        }
        overall = pd.DataFrame(
            {"metric": list(scalars), "column": None, "value": list(scalars.values())}
        )
        parts = [marginal, statistics[["metric", "column", "value"]], overall]
        frame = pd.concat([p[["metric", "column", "value"]] for p in parts], ignore_index=True)
        frame["value"] = frame["value"].astype(float)
        return frame

    def summary(self, max_columns=15):
        """One-screen text summary.

        Parameters
        ----------
        max_columns : int, default=15
            Maximum number of per-column rows shown (the worst by JS distance).

        Returns
        -------
        str
        """
        kinds = self.marginals["kind"].value_counts()
        holdout = "" if self.n_holdout is None else f", {self.n_holdout} holdout"
        lines = [
            f"Synthetic data report: {self.n_real} real rows vs {self.n_synthetic} synthetic "
            f"rows{holdout}",
            f"Columns: {len(self.marginals)} ({kinds.get('numeric', 0)} numeric, "
            f"{kinds.get('categorical', 0)} categorical)",
            "",
            "Per-column marginals (KS = Kolmogorov-Smirnov, or total variation for "
            "categorical columns)",
        ]
        table = self.marginals.sort_values("js_distance", ascending=False, kind="stable")
        table = table.rename(
            columns={
                "kl_divergence": "KL",
                "js_distance": "JS",
                "ks_statistic": "KS/TV",
                "wasserstein": "Wasserstein",
            }
        )
        lines.append(
            table.head(max_columns).to_string(index=False, float_format=lambda v: f"{v:.3f}")
        )
        if len(table) > max_columns:
            lines.append(f"... {len(table) - max_columns} more columns (see .marginals)")
        means = self.marginals[_MARGINAL_METRICS].mean()
        p = self.privacy
        lines += [
            f"Mean over columns: KL {means['kl_divergence']:.3f}, "
            f"JS {means['js_distance']:.3f}, KS/TV {means['ks_statistic']:.3f}, "
            f"Wasserstein {means['wasserstein']:.3f}",
            "",
            f"Association difference: mean |diff| {self.correlation.mean_abs:.3f}, "
            f"max |diff| {self.correlation.max_abs:.3f}",
            f"Detection ROC-AUC: {self.detection_auc:.3f} (0.5 = indistinguishable)",
            f"Exact copies of real rows: {p['exact_copy_share']:.1%}",
        ]
        if self.n_holdout is None:
            lines += [
                "DCR ratio: n/a (pass holdout= rows not used for training)",
                f"Median DCR: synthetic {p['dcr_synthetic_median']:.3f}",
                f"Median NNDR: synthetic {p['nndr_synthetic_median']:.3f}",
            ]
        else:
            lines += [
                f"DCR ratio (synthetic / holdout median): {p['dcr_ratio']:.3f} "
                "(about 1 = no memorisation, well below 1 = copying)",
                f"Median DCR: synthetic {p['dcr_synthetic_median']:.3f}, "
                f"holdout {p['dcr_holdout_median']:.3f}",
                f"Median NNDR: synthetic {p['nndr_synthetic_median']:.3f}, "
                f"holdout {p['nndr_holdout_median']:.3f}",
            ]
        return "\n".join(lines)

    def __str__(self):
        return self.summary()

    def __repr__(self):
        return (
            f"FidelityReport(n_real={self.n_real}, n_synthetic={self.n_synthetic}, "
            f"detection_auc={self.detection_auc:.3f}, "
            f"mean_js={self.marginals['js_distance'].mean():.3f})"
        )


def comparison_report(
    real,
    synthetic,
    *,
    holdout=None,
    categorical_features=None,
    n_bins=20,
    cv=5,
    max_rows=5000,
    random_state=None,
):
    """Run all metrics of this module and collect them in a :class:`FidelityReport`.

    Parameters
    ----------
    real : DataFrame or ndarray of shape (n_real, n_features)
        Real rows; for the privacy scores they are the training rows of the
        generator.
    synthetic : DataFrame or ndarray of shape (n_synthetic, n_features)
        Generated rows.
    holdout : DataFrame, ndarray or None, default=None
        Real rows not used for training, needed for the DCR ratio (see
        :func:`privacy_scores`).
    categorical_features : None, list of names or positions, or bool mask, default=None
        Which columns are categorical; ``None`` uses the dtypes.
    n_bins : int, default=20
        Bins for numeric columns in :func:`marginal_fidelity`.
    cv : int or cross-validation splitter, default=5
        Folds for :func:`detection_score`.
    max_rows : int, default=5000
        Row cap for :func:`detection_score` and :func:`privacy_scores`.
    random_state : int, RandomState instance or None, default=None
        Seeds the subsampling and the detection classifier.

    Returns
    -------
    FidelityReport
        ``str(report)`` gives a text summary, ``report.to_frame()`` a tidy frame.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from imblearn_deepgen.metrics import comparison_report
    >>> rng = np.random.RandomState(0)
    >>> def sample(n):
    ...     x = rng.normal(size=n)
    ...     return pd.DataFrame({"x": x, "c": np.where(x > 0, "pos", "neg")})
    >>> report = comparison_report(sample(200), sample(200), holdout=sample(200),
    ...                            cv=3, random_state=0)
    >>> report.to_frame().columns.tolist()
    ['metric', 'column', 'value']
    >>> print(report.detection_auc < 0.7, 0.5 < report.privacy["dcr_ratio"] < 2)
    True True
    """
    _check_max_rows(max_rows)
    _check_bins(n_bins, "quantile")
    prepared = _prepare(
        {"real": real, "synthetic": synthetic, "holdout": holdout}, categorical_features
    )
    rng = check_random_state(random_state)
    detection_rng, privacy_rng = (
        np.random.RandomState(seed) for seed in rng.randint(np.iinfo(np.int32).max, size=2)
    )
    frames = prepared.frames
    return FidelityReport(
        marginals=_marginals(prepared, "real", "synthetic", n_bins, "quantile"),
        statistics=_statistics(prepared, "real", "synthetic"),
        correlation=_correlation(prepared, "real", "synthetic"),
        detection_auc=_detection(prepared, "real", "synthetic", None, cv, max_rows, detection_rng),
        privacy=_privacy(prepared, "real", "synthetic", "holdout", max_rows, privacy_rng),
        n_real=len(frames["real"]),
        n_synthetic=len(frames["synthetic"]),
        n_holdout=len(frames["holdout"]) if "holdout" in frames else None,
    )
