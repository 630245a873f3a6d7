"""Diagnostic plots comparing real and synthetic tabular data.

matplotlib is an optional dependency (``pip install imblearn-deepgen[plot]``); it
is imported only when a plotting function is called. Every function creates its
figure with :mod:`matplotlib.pyplot`, returns the :class:`~matplotlib.figure.Figure`
and, when ``path`` is given, also saves it as a PNG there. Close figures you no
longer need with ``matplotlib.pyplot.close(fig)``.

Inputs follow the conventions of :mod:`imblearn_deepgen.metrics`: DataFrames or
2-D arrays with the same columns, and ``categorical_features`` to say which
columns are categorical. Missing values (NaN, None, ``pd.NA``, ``NaT``) are
accepted: plots of values show the present values, and
:func:`plot_missing_shares` compares how often values are missing.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.exceptions import NotFittedError
from sklearn.utils import check_random_state

from .metrics import correlation_difference
from .metrics._inputs import _prepare, _subsample, _TabularEncoder

__all__ = [
    "plot_correlation_difference",
    "plot_distributions",
    "plot_loss_curves",
    "plot_missing_shares",
    "plot_pca",
]

_REAL_COLOR = "tab:blue"
_SYNTHETIC_COLOR = "tab:orange"


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            "plotting needs matplotlib, which is not installed; install it with "
            "`pip install imblearn-deepgen[plot]`"
        ) from exc
    return plt


def _finish(fig, path, dpi):
    if path is not None:
        fig.savefig(path, dpi=dpi, format="png", bbox_inches="tight")
    return fig


def plot_pca(
    real,
    synthetic,
    *,
    categorical_features=None,
    max_points=5000,
    random_state=0,
    path=None,
    dpi=100,
):
    """Scatter real and synthetic rows on the first two principal components.

    Numeric columns are standardised and categorical columns one-hot encoded,
    both fitted on ``real``; the PCA is fitted on the encoded real rows only and
    then applied to both samples. Missing values are encoded as in
    :func:`imblearn_deepgen.metrics.privacy_scores` (a missing indicator and the
    real median for numeric columns, a category of their own for categorical
    columns).

    Parameters
    ----------
    real, synthetic : DataFrame or ndarray of shape (n_samples, n_features)
        Real and synthetic samples with the same columns.
    categorical_features : None, list of names or positions, or bool mask, default=None
        Which columns are categorical; ``None`` uses the dtypes.
    max_points : int, default=5000
        Each sample is subsampled to at most this many points for plotting.
    random_state : int, RandomState instance or None, default=0
        Controls the subsampling.
    path : str, path-like or None, default=None
        If given, the figure is also saved there as a PNG.
    dpi : int, default=100
        Resolution of the saved PNG.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_deepgen.plotting import plot_pca
    >>> rng = np.random.RandomState(0)
    >>> fig = plot_pca(rng.normal(size=(100, 3)), rng.normal(size=(100, 3)))  # doctest: +SKIP
    """
    plt = _pyplot()
    prepared = _prepare({"real": real, "synthetic": synthetic}, categorical_features)
    rng = check_random_state(random_state)
    real_rows = _subsample(prepared.frames["real"], max_points, rng)
    synthetic_rows = _subsample(prepared.frames["synthetic"], max_points, rng)
    encoder = _TabularEncoder(prepared.numeric, prepared.categorical, prepared.missing)
    encoder.fit(prepared.frames["real"])
    real_x = encoder.transform(prepared.frames["real"])
    n_components = min(2, real_x.shape[0], real_x.shape[1])
    pca = PCA(n_components=n_components).fit(real_x)

    def project(rows):
        projected = pca.transform(encoder.transform(rows))
        if n_components < 2:
            projected = np.column_stack([projected, np.zeros(len(projected))])
        return projected

    fig, ax = plt.subplots(figsize=(6, 5))
    # real points are drawn above the (often far more numerous) synthetic ones
    for rows, label, color, zorder in (
        (real_rows, "real", _REAL_COLOR, 3),
        (synthetic_rows, "synthetic", _SYNTHETIC_COLOR, 2),
    ):
        points = project(rows)
        ax.scatter(
            points[:, 0], points[:, 1], s=8, alpha=0.5, color=color, label=label, zorder=zorder
        )
    ratios = list(pca.explained_variance_ratio_) + [0.0]
    ax.set_xlabel(f"PC1 ({ratios[0]:.0%} of real variance)")
    ax.set_ylabel(f"PC2 ({ratios[1]:.0%} of real variance)" if n_components > 1 else "")
    ax.set_title("PCA of real vs synthetic (fitted on real)")
    ax.legend()
    fig.tight_layout()
    return _finish(fig, path, dpi)


def _grid(plt, n_panels, n_cols, panel_size):
    n_cols = max(1, min(n_cols, n_panels))
    n_rows = math.ceil(n_panels / n_cols)
    fig, axes = plt.subplots(
        n_rows,
        n_cols,
        figsize=(panel_size[0] * n_cols, panel_size[1] * n_rows),
        squeeze=False,
    )
    axes = axes.ravel()
    for ax in axes[n_panels:]:
        ax.set_visible(False)
    return fig, axes[:n_panels]


def plot_distributions(
    real,
    synthetic,
    *,
    columns=None,
    max_columns=12,
    categorical_features=None,
    n_bins=30,
    max_categories=20,
    n_cols=3,
    path=None,
    dpi=100,
):
    """Overlay the distribution of each column in real and synthetic data.

    Numeric columns are shown as density histograms on shared, equal-width bins
    spanning both samples; categorical columns as side-by-side bars of category
    frequencies (at most ``max_categories``: the real data's categories by
    frequency, then those only the synthetic data has).
    Both use the present values only; the title of a column with missing values
    gives its missing share in each sample.

    Parameters
    ----------
    real, synthetic : DataFrame or ndarray of shape (n_samples, n_features)
        Real and synthetic samples with the same columns.
    columns : list or None, default=None
        Column labels (positions for arrays) to plot; ``None`` plots all columns.
    max_columns : int, default=12
        At most this many columns are plotted (the first ones of ``columns``).
    categorical_features : None, list of names or positions, or bool mask, default=None
        Which columns are categorical; ``None`` uses the dtypes.
    n_bins : int, default=30
        Number of histogram bins for numeric columns.
    max_categories : int, default=20
        Maximum number of categories shown per categorical column.
    n_cols : int, default=3
        Number of panels per row.
    path : str, path-like or None, default=None
        If given, the figure is also saved there as a PNG.
    dpi : int, default=100
        Resolution of the saved PNG.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_deepgen.plotting import plot_distributions
    >>> rng = np.random.RandomState(0)
    >>> real, synthetic = rng.normal(size=(100, 2)), rng.normal(size=(80, 2))
    >>> fig = plot_distributions(real, synthetic, path="distributions.png")  # doctest: +SKIP
    """
    plt = _pyplot()
    prepared = _prepare({"real": real, "synthetic": synthetic}, categorical_features)
    real_frame, synthetic_frame = prepared.frames["real"], prepared.frames["synthetic"]
    if columns is None:
        columns = list(real_frame.columns)
    else:
        unknown = [c for c in columns if c not in real_frame.columns]
        if unknown:
            raise ValueError(
                f"columns {unknown!r} are not in the data; choose from "
                f"{list(real_frame.columns)!r}"
            )
    if not columns:
        raise ValueError("columns is empty; pass at least one column to plot")
    columns = list(columns)[:max_columns]
    fig, axes = _grid(plt, len(columns), n_cols, (4.0, 3.0))
    for ax, column in zip(axes, columns, strict=True):
        r, s = real_frame[column].dropna(), synthetic_frame[column].dropna()
        if r.empty and s.empty:
            ax.text(0.5, 0.5, "no present values", ha="center", va="center")
        elif column in prepared.categorical:
            _category_bars(ax, r, s, max_categories)
        else:
            _histograms(ax, r, s, n_bins)
        missing = (real_frame[column].isna().mean(), synthetic_frame[column].isna().mean())
        title = str(column)
        if any(missing):
            title += f"\n{missing[0]:.0%} missing in real, {missing[1]:.0%} in synthetic"
        ax.set_title(title)
    # the first panel may have nothing drawn (no present values)
    labelled = [ax for ax in axes if ax.get_legend_handles_labels()[0]]
    if labelled:
        labelled[0].legend()
    fig.tight_layout()
    return _finish(fig, path, dpi)


def _category_bars(ax, r, s, max_categories):
    p = r.value_counts(normalize=True)
    q = s.value_counts(normalize=True)
    categories = p.index.append(q.index.difference(p.index, sort=False))
    categories = categories[:max_categories]
    positions = np.arange(len(categories))
    width = 0.4
    ax.bar(
        positions - width / 2,
        p.reindex(categories, fill_value=0.0),
        width,
        color=_REAL_COLOR,
        label="real",
    )
    ax.bar(
        positions + width / 2,
        q.reindex(categories, fill_value=0.0),
        width,
        color=_SYNTHETIC_COLOR,
        label="synthetic",
    )
    ax.set_xticks(positions)
    ax.set_xticklabels([str(c) for c in categories], rotation=45, ha="right")
    ax.set_ylabel("frequency")


def _histograms(ax, r, s, n_bins):
    """Density histograms of the present values of both samples."""
    pooled = np.concatenate([r.to_numpy(), s.to_numpy()])
    low, high = pooled.min(), pooled.max()
    if low == high:
        low, high = low - 0.5, high + 0.5
    bins = np.linspace(low, high, n_bins + 1)
    for values, label, color in ((r, "real", _REAL_COLOR), (s, "synthetic", _SYNTHETIC_COLOR)):
        # the density of an empty side would divide by zero
        if len(values):
            ax.hist(values, bins=bins, density=True, alpha=0.5, color=color, label=label)
    ax.set_ylabel("density")


def plot_missing_shares(real, synthetic, *, ax=None, path=None, dpi=100):
    """Bar chart of the share of missing values per column in real and synthetic data.

    Every column with a missing value (NaN, None, ``pd.NA`` or ``NaT``) in either
    sample gets two bars: its missing share among the real rows and among the
    synthetic rows. Columns without missing values on both sides are left out.
    The same shares are the ``missing_real`` and ``missing_synthetic`` fields of
    :func:`imblearn_deepgen.metrics.marginal_fidelity`.

    Parameters
    ----------
    real, synthetic : DataFrame or ndarray of shape (n_samples, n_features)
        Real and synthetic samples with the same columns.
    ax : matplotlib.axes.Axes or None, default=None
        Axes to draw on; ``None`` creates a new figure.
    path : str, path-like or None, default=None
        If given, the figure is also saved there as a PNG.
    dpi : int, default=100
        Resolution of the saved PNG.

    Returns
    -------
    matplotlib.figure.Figure
        The figure holding the bars (the figure of ``ax`` when given).

    Raises
    ------
    ValueError
        If neither sample has a missing value.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from imblearn_deepgen.plotting import plot_missing_shares
    >>> real = pd.DataFrame({"x": [1.0, np.nan, 3.0, 4.0], "c": ["a", "b", None, "a"]})
    >>> synthetic = pd.DataFrame({"x": [np.nan, np.nan, 2.0, 1.0], "c": ["a"] * 4})
    >>> fig = plot_missing_shares(real, synthetic)  # doctest: +SKIP
    """
    plt = _pyplot()
    from matplotlib.ticker import PercentFormatter

    prepared = _prepare({"real": real, "synthetic": synthetic})
    shares = pd.DataFrame({name: frame.isna().mean() for name, frame in prepared.frames.items()})
    shares = shares[(shares > 0).any(axis=1)]
    if shares.empty:
        raise ValueError(
            "neither real nor synthetic has missing values, so there is no missing share "
            "to plot; use plot_distributions to compare the values"
        )
    own_figure = ax is None
    if own_figure:
        _, ax = plt.subplots(figsize=(max(4.0, 0.7 * len(shares) + 1.5), 3.5))
    positions = np.arange(len(shares))
    width = 0.4
    ax.bar(positions - width / 2, shares["real"], width, color=_REAL_COLOR, label="real")
    ax.bar(
        positions + width / 2,
        shares["synthetic"],
        width,
        color=_SYNTHETIC_COLOR,
        label="synthetic",
    )
    ax.set_xticks(positions)
    ax.set_xticklabels([str(c) for c in shares.index], rotation=45, ha="right")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel("rows with a missing value")
    ax.set_title("Missing values: real vs synthetic")
    ax.legend()
    # the layout of a caller's figure is the caller's to arrange
    if own_figure:
        ax.figure.tight_layout()
    return _finish(ax.figure, path, dpi)


def plot_correlation_difference(
    real,
    synthetic,
    *,
    categorical_features=None,
    annotate=None,
    path=None,
    dpi=100,
):
    """Heatmaps of the association matrices of real and synthetic data and their difference.

    Associations are computed by :func:`imblearn_deepgen.metrics.correlation_difference`
    (Pearson, correlation ratio or bias-corrected Cramer's V, depending on the
    column kinds).

    Parameters
    ----------
    real, synthetic : DataFrame or ndarray of shape (n_samples, n_features)
        Real and synthetic samples with the same columns.
    categorical_features : None, list of names or positions, or bool mask, default=None
        Which columns are categorical; ``None`` uses the dtypes.
    annotate : bool or None, default=None
        Write the values into the cells; ``None`` does so for at most 10 columns.
    path : str, path-like or None, default=None
        If given, the figure is also saved there as a PNG.
    dpi : int, default=100
        Resolution of the saved PNG.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_deepgen.plotting import plot_correlation_difference
    >>> rng = np.random.RandomState(0)
    >>> x = rng.normal(size=(100, 3))
    >>> fig = plot_correlation_difference(x, x[:, ::-1])  # doctest: +SKIP
    """
    plt = _pyplot()
    result = correlation_difference(real, synthetic, categorical_features=categorical_features)
    labels = [str(c) for c in result.real.columns]
    n = len(labels)
    if annotate is None:
        annotate = n <= 10
    side = max(3.5, 0.45 * n + 1.5)
    fig, axes = plt.subplots(1, 3, figsize=(3 * side + 1.5, side))
    limit = max(float(np.abs(result.difference.to_numpy()).max()), 1e-12)
    panels = (
        (result.real, "real", 1.0),
        (result.synthetic, "synthetic", 1.0),
        (result.difference, f"synthetic - real (mean |diff| {result.mean_abs:.3f})", limit),
    )
    for ax, (matrix, title, vmax) in zip(axes, panels, strict=True):
        values = matrix.to_numpy()
        image = ax.imshow(values, cmap="RdBu_r", vmin=-vmax, vmax=vmax)
        ax.set_xticks(range(n))
        ax.set_yticks(range(n))
        ax.set_xticklabels(labels, rotation=90)
        ax.set_yticklabels(labels)
        ax.set_title(title)
        fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
        if annotate:
            for i in range(n):
                for j in range(n):
                    color = "white" if abs(values[i, j]) > 0.6 * vmax else "black"
                    ax.text(
                        j,
                        i,
                        f"{values[i, j]:.2f}",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color=color,
                    )
    fig.tight_layout()
    return _finish(fig, path, dpi)


def plot_loss_curves(sampler, *, log_scale=False, path=None, dpi=100):
    """Training-loss curves of a fitted generative sampler, one panel per class.

    Parameters
    ----------
    sampler : object
        Fitted sampler with a ``history_`` attribute: a dict mapping each class
        label to a dict ``{loss_name: sequence of floats}``, e.g.
        ``{1: {"generator": [...], "discriminator": [...]}}``. The x-axis is the
        position in the sequence (training iteration).
    log_scale : bool, default=False
        Use a logarithmic y-axis (only sensible for positive losses).
    path : str, path-like or None, default=None
        If given, the figure is also saved there as a PNG.
    dpi : int, default=100
        Resolution of the saved PNG.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If ``sampler`` has no ``history_`` attribute.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from imblearn_deepgen.plotting import plot_loss_curves
    >>> sampler = SimpleNamespace(history_={1: {"loss": [3.0, 2.0, 1.5, 1.2]}})
    >>> fig = plot_loss_curves(sampler)  # doctest: +SKIP
    """
    history = getattr(sampler, "history_", None)
    if history is None:
        raise NotFittedError(
            f"This {type(sampler).__name__} instance has no `history_` attribute; call "
            "`fit` (or `fit_resample`) before plotting its loss curves"
        )
    if not isinstance(history, dict) or not history:
        raise ValueError(
            "`history_` must be a non-empty dict {class_label: {loss_name: values}}, got "
            f"{type(history).__name__}"
        )
    plt = _pyplot()
    fig, axes = _grid(plt, len(history), 3, (4.5, 3.2))
    for ax, (label, losses) in zip(axes, history.items(), strict=True):
        if not isinstance(losses, dict):
            raise ValueError(
                f"`history_[{label!r}]` must be a dict {{loss_name: values}}, got "
                f"{type(losses).__name__}"
            )
        for name, values in losses.items():
            values = np.asarray(values, dtype=float).ravel()
            if values.size:
                ax.plot(np.arange(1, values.size + 1), values, label=str(name))
        if log_scale:
            ax.set_yscale("log")
        ax.set_title(f"class {label}")
        ax.set_xlabel("iteration")
        ax.set_ylabel("loss")
        if losses:
            ax.legend(fontsize=8)
    fig.tight_layout()
    return _finish(fig, path, dpi)
