"""Detectability: how well a classifier tells synthetic rows from real ones."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score
from threadpoolctl import threadpool_limits

from ._inputs import _check_max_rows, _prepare, _rng, _subsample, _TabularEncoder


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
    encoder = _TabularEncoder(prepared.numeric, prepared.categorical, prepared.missing)
    X = encoder.fit(data).transform(data)
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
    information). Where a sample has missing values, a numeric column also gets
    a 0/1 missing indicator (its missing values take the pooled median) and a
    categorical column a category for "missing", so any classifier can see how
    often and where values are missing.

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
        Controls subsampling, fold shuffling and the default classifier;
        ``None`` draws fresh operating-system entropy. The global NumPy random
        state is never used.

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
    rng = _rng(random_state)
    return _detection(prepared, "real", "synthetic", classifier, cv, max_rows, rng)
