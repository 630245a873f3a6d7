"""All metrics at once: the comparison report."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._associations import CorrelationDifference, _correlation
from ._detection import _detection
from ._inputs import _check_bins, _check_max_rows, _prepare, _rng
from ._marginals import _MARGINAL_METRICS, _MISSING_METRICS, _marginals, _statistics
from ._privacy import _privacy


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
            the column label (marginal metrics and missing shares keep their
            names; summary statistics are named like ``"mean_real"`` and
            ``"mean_synthetic"``); dataset-level metrics have ``column=None``.
            Metrics that do not apply (Wasserstein of categorical columns, any
            statistic of a column without present values) are left out; the
            holdout's privacy metrics are NaN when no holdout was given.
        """
        marginal = self.marginals.melt(
            id_vars="column", value_vars=[*_MARGINAL_METRICS, *_MISSING_METRICS], var_name="metric"
        ).dropna(subset=["value"])
        statistics = self.statistics.melt(
            id_vars=["column", "statistic"], value_vars=["real", "synthetic"], var_name="source"
        ).dropna(subset=["value"])
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
            Maximum number of per-column rows shown: the columns whose values could
            not be compared (no present value in a sample), then the worst by JS
            distance.

        Returns
        -------
        str
        """
        kinds = self.marginals["kind"].value_counts()
        holdout = "" if self.n_holdout is None else f", {self.n_holdout} holdout"
        shares = self.marginals[["missing_real", "missing_synthetic"]]
        with_missing = int((shares > 0).any(axis=1).sum())
        lines = [
            f"Synthetic data report: {self.n_real} real rows vs {self.n_synthetic} synthetic "
            f"rows{holdout}",
            f"Columns: {len(self.marginals)} ({kinds.get('numeric', 0)} numeric, "
            f"{kinds.get('categorical', 0)} categorical)",
            "",
            "Per-column marginals (KS = Kolmogorov-Smirnov, or total variation for "
            "categorical columns)",
        ]
        # a column without present values on one side cannot be compared: show it first
        table = self.marginals.sort_values(
            "js_distance", ascending=False, kind="stable", na_position="first"
        )
        if with_missing:
            lines.append("on the present values; Missing = share of rows with a missing value")
            table = table.drop(columns="missing_abs_difference")
        else:
            table = table.drop(columns=_MISSING_METRICS)
        table = table.rename(
            columns={
                "kl_divergence": "KL",
                "js_distance": "JS",
                "ks_statistic": "KS/TV",
                "wasserstein": "Wasserstein",
                "missing_real": "Missing real",
                "missing_synthetic": "Missing synth.",
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
        ]
        if with_missing:
            lines.append(
                "Missing share: mean |real - synthetic| gap "
                f"{self.marginals['missing_abs_difference'].mean():.3f} over columns "
                f"({with_missing} with missing values)"
            )
        lines += [
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
        Seeds the subsampling and the detection classifier; ``None`` draws
        fresh operating-system entropy. The global NumPy random state is never
        used.

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
    rng = _rng(random_state)
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
