"""sample(): more rows from a fitted model, chunked, in the training container."""

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

from .conftest import range_rows


def test_sample_before_fit_raises(make_sampler):
    with pytest.raises(NotFittedError):
        make_sampler().sample(5)


def test_sample_returns_training_container(make_sampler, imbalanced):
    X, y = imbalanced
    frame = pd.DataFrame(X, columns=list("abcde")).astype({"a": np.float32})
    sampler = make_sampler()
    sampler.fit_resample(frame, y)
    rows = sampler.sample(70_000)  # more than one generation chunk
    assert isinstance(rows, pd.DataFrame)
    assert list(rows.columns) == list("abcde")
    assert list(rows.dtypes) == list(frame.dtypes)
    assert len(rows) == 70_000
    assert np.isfinite(rows.to_numpy()).all()
    # Values stay within the training range (the class's, or every row's).
    seen = range_rows(sampler, frame, y)
    assert (rows.min() >= seen.min() - 1e-6).all()
    assert (rows.max() <= seen.max() + 1e-6).all()
    assert len(sampler.sample(0)) == 0


def test_sample_needs_class_label_when_several_classes(make_sampler):
    rng = np.random.RandomState(0)
    X = rng.standard_normal((60, 2))
    y = np.repeat(["a", "b", "c"], [40, 10, 10])
    sampler = make_sampler()
    sampler.fit_resample(X, y)
    # Labels as the user wrote them, not numpy's np.str_('b').
    with pytest.raises(ValueError, match=r"classes \['b', 'c'\]; pass class_label"):
        sampler.sample(3)
    with pytest.raises(ValueError, match=r"was not oversampled.*one of \['b', 'c'\]"):
        sampler.sample(3, class_label="a")
    assert sampler.sample(3, class_label="b").shape == (3, 2)


@pytest.mark.parametrize("bad", [-1, 2.5, "10"])
def test_sample_rejects_bad_counts(make_sampler, imbalanced, bad):
    X, y = imbalanced
    sampler = make_sampler()
    sampler.fit_resample(X, y)
    with pytest.raises(ValueError, match="n_samples"):
        sampler.sample(bad)


def test_sample_keeps_string_dtypes(make_sampler):
    # pandas' default str dtype and the nullable string dtype, with missing cells.
    rng = np.random.RandomState(0)
    channel = pd.Series(rng.choice(["chip", "online"], 80), dtype="str")
    card = pd.Series(rng.choice(["visa", "mc"], 80), dtype="string").mask(rng.rand(80) < 0.3)
    X = pd.DataFrame({"amount": rng.rand(80), "channel": channel, "card": card})
    y = np.repeat([0, 1], [60, 20])
    sampler = make_sampler(random_state=0)
    sampler.fit_resample(X, y)
    drawn = sampler.sample(500, class_label=1)
    assert list(drawn.dtypes) == list(X.dtypes)
    assert set(drawn["channel"]) <= {"chip", "online"}
    assert set(drawn["card"].dropna()) <= {"visa", "mc"}
