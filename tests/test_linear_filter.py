"""filter_linear: generated rows scored below every real row of their class are redrawn."""

import warnings

import numpy as np
import pandas as pd
import pytest

from imblearn_deepgen import _linear_filter
from imblearn_deepgen._columns import ColumnTable
from imblearn_deepgen._filter import NeighbourVote
from imblearn_deepgen._linear_filter import LinearFilter

from .conftest import tiny_gan, tiny_vae


def _two_blobs(n_major=200, n_minor=20, seed=0):
    """The minority around (+3, +3), the majority around (-3, -3)."""
    rng = np.random.RandomState(seed)
    X = np.vstack([rng.normal(-3.0, 1.0, (n_major, 2)), rng.normal(3.0, 1.0, (n_minor, 2))])
    return X, np.repeat([0, 1], [n_major, n_minor])


def _band(n_major=200, n_minor=20, seed=0):
    """The minority along the line x1 + x2 = 0, the majority around (-4, -4).

    The minority's range holds the corner (-3, -3), toward the majority: a
    generator producing the right values column by column but not their
    relation puts rows there.
    """
    rng = np.random.RandomState(seed)
    t = rng.uniform(-3.0, 3.0, n_minor)
    minority = np.column_stack([t, -t]) + rng.normal(0.0, 0.2, (n_minor, 2))
    X = np.vstack([rng.normal(-4.0, 1.0, (n_major, 2)), minority])
    return X, np.repeat([0, 1], [n_major, n_minor])


def _fit(X, y):
    return LinearFilter().fit(ColumnTable.from_input(X), y, np.unique(y))


def test_rows_toward_another_class_are_rejected_and_rows_beyond_the_class_kept():
    X, y = _two_blobs()
    linear = _fit(X, y)
    # (0, 0) lies in the gap between the blobs, nearer the boundary than any
    # real row of either class; (9, 9) lies far out on the minority's side.
    candidates = [np.array([0.0, 9.0, -3.0]), np.array([0.0, 9.0, -3.0])]
    assert linear.accepts(candidates, 1).tolist() == [False, True, False]
    assert linear.accepts(candidates, 0).tolist() == [False, False, True]


def test_every_real_row_passes_for_its_own_class():
    rng = np.random.RandomState(1)
    X = rng.standard_normal((150, 4))
    y = rng.choice(["a", "b", "c"], size=150, p=[0.6, 0.3, 0.1])
    linear = _fit(X, y)
    for label in ("a", "b", "c"):
        assert linear.accepts(list(X[y == label].T), label).all()


def test_nominal_columns_are_scored_one_hot():
    frame = pd.DataFrame(
        {"colour": ["red"] * 100 + ["blue"] * 10, "size": np.r_[np.zeros(100), np.ones(10)]}
    )
    y = np.repeat([0, 1], [100, 10])
    linear = LinearFilter().fit(ColumnTable.from_input(frame), y, [1])
    assert list(linear.scorers_) == [1]  # only the classes to filter get a scorer
    table = ColumnTable.from_input(pd.DataFrame({"colour": ["blue", "red"], "size": [1.0, 0.0]}))
    assert linear.accepts(list(table.columns), 1).tolist() == [True, False]


def test_large_classes_fit_on_an_evenly_spaced_subset(monkeypatch):
    monkeypatch.setattr(_linear_filter, "MAX_ROWS_PER_CLASS", 50)
    X, y = _two_blobs(n_major=300, n_minor=20)
    linear = _fit(X, y)
    # The standardisation saw 50 majority rows (every sixth) and all 20 minority rows.
    expected = np.r_[X[:300:6, 0], X[300:, 0]]
    assert linear.transformer_.numeric_.offset_[0] == pytest.approx(expected.mean())


@pytest.mark.parametrize("make", [tiny_gan, tiny_vae], ids=["gan", "vae"])
def test_filtered_rows_all_score_at_least_the_least_typical_real_row(make):
    # Five training steps leave the networks generating off the band.
    X, y = _band()
    n = len(y)
    linear = _fit(X, y)
    X_off, _ = make(filter_linear=False).fit_resample(X, y)
    X_on, y_on = make(filter_linear=True).fit_resample(X, y)
    assert np.bincount(y_on).tolist() == [200, 200]
    np.testing.assert_array_equal(X_on[:n], X)
    assert not linear.accepts(list(X_off[n:].T), 1).all()
    assert linear.accepts(list(X_on[n:].T), 1).all()


def test_the_filter_draws_nothing_from_the_random_stream(monkeypatch):
    # With every row accepted, the output equals that of an unfiltered fit.
    monkeypatch.setattr(
        LinearFilter, "accepts", lambda self, columns, label: np.ones(len(columns[0]), bool)
    )
    X, y = _two_blobs()
    X_off, _ = tiny_vae(filter_linear=False).fit_resample(X, y)
    X_on, _ = tiny_vae(filter_linear=True).fit_resample(X, y)
    np.testing.assert_array_equal(X_on, X_off)


def test_sample_is_filtered_too():
    X, y = _band()
    sampler = tiny_gan(filter_linear=True)
    sampler.fit_resample(X, y)
    assert _fit(X, y).accepts(list(sampler.sample(300).T), 1).all()


def test_both_filters_must_pass(monkeypatch):
    # Each filter rejects one half-plane of the minority; the rows kept lie in neither.
    X, y = _two_blobs()
    centre = np.median(X[y == 1], axis=0)
    monkeypatch.setattr(
        LinearFilter, "accepts", lambda self, columns, label: columns[0] > centre[0]
    )
    monkeypatch.setattr(
        NeighbourVote, "accepts", lambda self, columns, label: columns[1] > centre[1]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every row passed, none kept unfiltered
        X_res, _ = tiny_vae(filter_linear=True, filter_neighbors=5).fit_resample(X, y)
    assert (X_res[len(y) :] > centre).all()


def test_exhausted_filter_names_only_the_filter_that_is_on(monkeypatch):
    monkeypatch.setattr(
        LinearFilter, "accepts", lambda self, columns, label: np.zeros(len(columns[0]), bool)
    )
    X, y = _two_blobs()
    with pytest.warns(UserWarning, match="passed filter_linear:") as caught:
        X_res, _ = tiny_vae(filter_linear=True).fit_resample(X, y)
    assert "filter_linear=False to keep" in str(caught[0].message)
    assert "filter_neighbors" not in str(caught[0].message)
    assert len(X_res) == 400


@pytest.mark.parametrize(
    ("make", "params", "same_as"),
    [
        (tiny_gan, {}, True),
        (tiny_gan, {"conditional": True}, False),
        (tiny_vae, {}, True),
        (tiny_vae, {"conditional": True}, False),
    ],
    ids=["gan", "conditional-gan", "vae", "conditional-vae"],
)
def test_auto_filters_for_per_class_models_only(make, params, same_as):
    # Without the vote, which rejects every row of a five-step conditional GAN here.
    params = {**params, "filter_neighbors": None}
    X, y = _band()
    X_auto, _ = make(**params).fit_resample(X, y)
    X_same, _ = make(**params, filter_linear=same_as).fit_resample(X, y)
    X_other, _ = make(**params, filter_linear=not same_as).fit_resample(X, y)
    np.testing.assert_array_equal(X_auto, X_same)
    assert not np.array_equal(X_auto, X_other)


@pytest.mark.parametrize("bad", [1, "yes", "always", None])
def test_filter_linear_is_validated(bad):
    X, y = _two_blobs()
    with pytest.raises(ValueError, match="filter_linear"):
        tiny_gan(filter_linear=bad).fit_resample(X, y)
