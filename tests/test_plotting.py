import sys
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402

from imblearn_deepgen.plotting import (  # noqa: E402
    plot_correlation_difference,
    plot_distributions,
    plot_loss_curves,
    plot_missing_shares,
    plot_pca,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def numeric_data(n, seed):
    rng = np.random.RandomState(seed)
    x = rng.normal(size=(n, 3))
    x[:, 1] += 0.8 * x[:, 0]
    return x


def mixed_data(n, seed):
    rng = np.random.RandomState(seed)
    frame = pd.DataFrame(numeric_data(n, seed), columns=["a", "b", "c"])
    frame["colour"] = np.where(frame["a"] > 0, "red", "blue")
    frame["size"] = pd.Categorical(rng.choice(["S", "M", "L"], size=n))
    frame["flag"] = rng.rand(n) < 0.3
    return frame


DATASETS = {
    "numeric": (numeric_data(150, 0), numeric_data(120, 1)),
    "mixed": (mixed_data(150, 0), mixed_data(120, 1)),
}


@pytest.fixture(params=sorted(DATASETS))
def data(request):
    return DATASETS[request.param]


def check_figure(fig, path):
    assert isinstance(fig, Figure)
    content = path.read_bytes()
    assert len(content) > 1000
    assert content.startswith(PNG_MAGIC)
    plt.close(fig)


def test_plot_pca(data, tmp_path):
    real, synthetic = data
    path = tmp_path / "pca.png"
    fig = plot_pca(real, synthetic, path=path)
    ax = fig.axes[0]
    assert len(ax.collections) == 2
    # every point of each sample is drawn
    assert [len(c.get_offsets()) for c in ax.collections] == [150, 120]
    check_figure(fig, path)


def test_plot_pca_subsamples_points(tmp_path):
    real, synthetic = numeric_data(300, 0), numeric_data(5000, 1)
    path = tmp_path / "pca.png"
    fig = plot_pca(real, synthetic, max_points=100, path=path)
    assert [len(c.get_offsets()) for c in fig.axes[0].collections] == [100, 100]
    check_figure(fig, path)


def test_plot_pca_single_column(tmp_path):
    path = tmp_path / "pca1.png"
    fig = plot_pca(numeric_data(50, 0)[:, :1], numeric_data(50, 1)[:, :1], path=path)
    check_figure(fig, path)


def test_plot_distributions(data, tmp_path):
    real, synthetic = data
    path = tmp_path / "dist.png"
    fig = plot_distributions(real, synthetic, path=path)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == real.shape[1]
    check_figure(fig, path)


def test_plot_distributions_bars_for_categoricals(tmp_path):
    real, synthetic = mixed_data(150, 0), mixed_data(120, 1)
    path = tmp_path / "dist.png"
    fig = plot_distributions(real, synthetic, columns=["a", "size"], path=path)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in axes] == ["a", "size"]
    # two bar series with three categories each, at the real frequencies first
    bars = axes[1].patches
    assert len(bars) == 6
    real_freq = real["size"].value_counts(normalize=True)
    assert sorted(b.get_height() for b in bars[:3]) == pytest.approx(sorted(real_freq))
    check_figure(fig, path)


def test_plot_distributions_limits_columns():
    real, synthetic = numeric_data(50, 0), numeric_data(50, 1)
    fig = plot_distributions(real, synthetic, max_columns=2)
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 2
    plt.close(fig)
    with pytest.raises(ValueError, match="not in the data"):
        plot_distributions(real, synthetic, columns=[7])


def test_plot_correlation_difference(data, tmp_path):
    real, synthetic = data
    path = tmp_path / "corr.png"
    fig = plot_correlation_difference(real, synthetic, path=path)
    heatmaps = [ax for ax in fig.axes if ax.images]
    assert len(heatmaps) == 3
    n = real.shape[1]
    assert heatmaps[0].images[0].get_array().shape == (n, n)
    check_figure(fig, path)


def gappy_data(n, seed, share):
    """mixed_data with gaps in a numeric and a categorical column only."""
    rng = np.random.RandomState(seed + 100)
    frame = mixed_data(n, seed).astype({"colour": object})
    frame.loc[rng.rand(n) < share, "a"] = np.nan
    frame.loc[rng.rand(n) < share / 2, "colour"] = None
    return frame


@pytest.mark.parametrize("plot", [plot_pca, plot_distributions, plot_correlation_difference])
def test_value_plots_accept_missing_values(plot, tmp_path):
    path = tmp_path / "plot.png"
    fig = plot(gappy_data(150, 0, 0.2), gappy_data(120, 1, 0.4), path=path)
    check_figure(fig, path)


def test_plot_distributions_shows_present_values_and_missing_shares():
    real, synthetic = gappy_data(150, 0, 0.2), gappy_data(120, 1, 0.4)
    synthetic["b"] = np.nan
    fig = plot_distributions(real, synthetic, columns=["a", "b", "colour", "c"])
    a, b, colour, c = [ax for ax in fig.axes if ax.get_visible()]
    share_real, share_synthetic = real["a"].isna().mean(), synthetic["a"].isna().mean()
    assert a.get_title() == (
        f"a\n{share_real:.0%} missing in real, {share_synthetic:.0%} in synthetic"
    )
    assert c.get_title() == "c"
    # the densities of the present values integrate to one
    for bars in a.containers:
        assert sum(p.get_height() * p.get_width() for p in bars) == pytest.approx(1.0)
    # only the real histogram where synthetic has no present value
    assert len(b.containers) == 1
    # the category frequencies are among the present values
    real_freq = real["colour"].value_counts(normalize=True)
    assert sorted(p.get_height() for p in colour.containers[0]) == pytest.approx(sorted(real_freq))
    plt.close(fig)


def test_plot_pca_draws_rows_with_missing_values():
    real, synthetic = gappy_data(150, 0, 0.2), gappy_data(120, 1, 0.4)
    fig = plot_pca(real, synthetic)
    offsets = [c.get_offsets() for c in fig.axes[0].collections]
    assert [len(o) for o in offsets] == [150, 120]
    assert all(np.isfinite(o).all() for o in offsets)
    plt.close(fig)


def test_plot_missing_shares(tmp_path):
    real, synthetic = gappy_data(150, 0, 0.2), gappy_data(120, 1, 0.4)
    synthetic.loc[:9, "size"] = np.nan
    path = tmp_path / "missing.png"
    fig = plot_missing_shares(real, synthetic, path=path)
    ax = fig.axes[0]
    # two bars for each column with a gap in either sample: a, colour and size
    assert len(ax.patches) == 6
    assert [label.get_text() for label in ax.get_xticklabels()] == ["a", "colour", "size"]
    real_bars, synthetic_bars = ax.containers
    assert [p.get_height() for p in real_bars] == pytest.approx(
        [real["a"].isna().mean(), real["colour"].isna().mean(), 0.0]
    )
    assert [p.get_height() for p in synthetic_bars] == pytest.approx(
        [synthetic["a"].isna().mean(), synthetic["colour"].isna().mean(), 10 / 120]
    )
    check_figure(fig, path)


def test_plot_missing_shares_on_given_axes_and_error_without_gaps():
    fig, ax = plt.subplots()
    drawn = plot_missing_shares(gappy_data(50, 0, 0.2), gappy_data(50, 1, 0.2), ax=ax)
    assert drawn is fig
    assert len(ax.patches) == 4
    plt.close(fig)
    with pytest.raises(ValueError, match="neither real nor synthetic has missing values"):
        plot_missing_shares(mixed_data(50, 0), mixed_data(50, 1))


class FakeSampler:
    def __init__(self, history):
        self.history_ = history


@pytest.mark.parametrize(
    "history",
    [
        {1: {"generator": [1.0, 0.8, 0.7], "discriminator": np.array([0.7, 0.69, 0.68])}},
        {
            0: {"loss": [3.0, 2.0, 1.0], "reconstruction": [2.0, 1.5, 0.8], "kl": [1.0, 0.5, 0.2]},
            "b": {"loss": [2.5, 2.0], "reconstruction": [2.0, 1.8], "kl": [0.5, 0.2]},
        },
    ],
)
def test_plot_loss_curves(history, tmp_path):
    path = tmp_path / "loss.png"
    fig = plot_loss_curves(FakeSampler(history), path=path)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == len(history)
    for ax, (label, losses) in zip(axes, history.items(), strict=True):
        assert ax.get_title() == f"class {label}"
        lines = ax.get_lines()
        assert [line.get_label() for line in lines] == list(losses)
        assert np.allclose(lines[0].get_ydata(), list(losses.values())[0])
        assert list(lines[0].get_xdata()) == list(range(1, len(lines[0].get_ydata()) + 1))
    check_figure(fig, path)


def test_plot_loss_curves_requires_history():
    with pytest.raises(NotFittedError, match="no `history_`"):
        plot_loss_curves(SimpleNamespace())
    with pytest.raises(ValueError, match="non-empty dict"):
        plot_loss_curves(SimpleNamespace(history_={}))


def test_missing_matplotlib_gives_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install imblearn-deepgen\[plot\]"):
        plot_pca(numeric_data(20, 0), numeric_data(20, 1))
