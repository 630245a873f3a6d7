"""Test-fold metrics; all of them are "higher is better"."""

from __future__ import annotations

import numpy as np
import pandas as pd
from imblearn.metrics import geometric_mean_score
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)

#: Metric columns of the results table, in display order.
METRICS = (
    "recall",
    "precision",
    "f1",
    "balanced_accuracy",
    "g_mean",
    "average_precision",
    "roc_auc",
)

#: Short names used in printed tables.
METRIC_ABBREVIATIONS = {
    "recall": "rec",
    "precision": "prec",
    "f1": "f1",
    "balanced_accuracy": "bacc",
    "g_mean": "gmean",
    "average_precision": "pr_auc",
    "roc_auc": "roc_auc",
}


def minority_scores(classifier, X) -> np.ndarray:
    """Continuous scores for the minority class (label 1).

    Parameters
    ----------
    classifier : fitted estimator
        Has ``predict_proba`` or ``decision_function``.
    X : array-like
        Test features.

    Returns
    -------
    numpy.ndarray
        One score per row; larger means more likely minority.
    """
    if hasattr(classifier, "predict_proba"):
        proba = classifier.predict_proba(X)
        return proba[:, list(classifier.classes_).index(1)]
    return np.asarray(classifier.decision_function(X))


def score_predictions(y_true, y_pred, y_score) -> dict[str, float]:
    """Compute every metric of :data:`METRICS`.

    Parameters
    ----------
    y_true : array-like
        True labels (1 = minority).
    y_pred : array-like
        Predicted labels.
    y_score : array-like
        Minority-class scores, for the ranking metrics.

    Returns
    -------
    dict
        Metric name to value.
    """
    return {
        "recall": recall_score(y_true, y_pred, zero_division=0),
        "precision": precision_score(y_true, y_pred, zero_division=0),
        "f1": f1_score(y_true, y_pred, zero_division=0),
        "balanced_accuracy": balanced_accuracy_score(y_true, y_pred),
        "g_mean": geometric_mean_score(y_true, y_pred),
        "average_precision": average_precision_score(y_true, y_score),
        "roc_auc": roc_auc_score(y_true, y_score),
    }


def missing_share_gap(real, synthetic) -> float:
    """Mean absolute gap between the per-column missing shares of two samples.

    Averaged over the columns with a missing value in either sample; NaN when
    neither has any.

    Parameters
    ----------
    real, synthetic : array-like or pandas.DataFrame
        Rows with the same columns, in the same order.

    Returns
    -------
    float
        The mean gap, between 0 and 1.
    """
    real_share = pd.DataFrame(real).isna().to_numpy().mean(axis=0)
    synthetic_share = pd.DataFrame(synthetic).isna().to_numpy().mean(axis=0)
    columns = (real_share > 0) | (synthetic_share > 0)
    if not columns.any():
        return float("nan")
    return float(np.abs(synthetic_share - real_share)[columns].mean())
