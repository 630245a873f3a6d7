"""Property tests: counts, untouched originals, dtypes, determinism, global RNG."""

from collections import Counter
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import TINY_SAMPLERS

FAST = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def datasets(draw):
    """Random numeric tables with 2-4 classes of 2-40 rows and assorted dtypes."""
    n_classes = draw(st.integers(2, 4))
    counts = [draw(st.integers(2, 40)) for _ in range(n_classes)]
    n_features = draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((sum(counts), n_features)) * draw(st.sampled_from([1e-3, 1.0, 1e4]))
    dtype = draw(st.sampled_from([np.float64, np.float32, np.int64]))
    X = (X * 10).astype(dtype) if dtype is np.int64 else X.astype(dtype)
    labels = draw(
        st.sampled_from([np.arange(n_classes), np.array(list("abcd"[:n_classes]), dtype=object)])
    )
    y = np.repeat(labels, counts)
    order = rng.permutation(len(y))
    return X[order], y[order]


@given(data=datasets(), make=st.sampled_from(TINY_SAMPLERS), as_frame=st.booleans())
@FAST
def test_counts_originals_dtypes(data, make, as_frame):
    X, y = data
    if as_frame:
        X = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])
        y = pd.Series(y, name="target")
    sampler = make(random_state=1)
    X_res, y_res = sampler.fit_resample(X, y)

    expected = Counter(np.asarray(y))
    for label, n_new in sampler.sampling_strategy_.items():
        expected[label] += n_new
    assert Counter(np.asarray(y_res)) == expected
    assert max(expected.values()) == Counter(np.asarray(y)).most_common(1)[0][1]

    if as_frame:
        assert list(X_res.columns) == list(X.columns)
        assert list(X_res.dtypes) == list(X.dtypes)
        pd.testing.assert_frame_equal(X_res.iloc[: len(X)], X.reset_index(drop=True))
        assert y_res.dtype == y.dtype
        values = X_res.to_numpy(dtype=np.float64)
    else:
        assert X_res.dtype == X.dtype
        assert y_res.dtype == y.dtype
        np.testing.assert_array_equal(X_res[: len(X)], X)
        values = X_res.astype(np.float64)
    assert np.isfinite(values).all()
    np.testing.assert_array_equal(np.asarray(y_res)[: len(y)], np.asarray(y))


@pytest.mark.parametrize(
    "strategy",
    ["minority", "not majority", "not minority", "all", "auto", {0: 60, 2: 45}, lambda y: {0: 50}],
)
def test_every_sampling_strategy_form_on_multiclass(make_sampler, strategy):
    rng = np.random.RandomState(0)
    y = np.repeat([0, 1, 2], [20, 50, 30])
    X = rng.standard_normal((100, 3))
    sampler = make_sampler(sampling_strategy=strategy)
    X_res, y_res = sampler.fit_resample(X, y)
    counts = Counter(y_res)
    for label, n_new in sampler.sampling_strategy_.items():
        assert counts[label] == Counter(y)[label] + n_new
    assert set(sampler.generators_) == {c for c, n in sampler.sampling_strategy_.items() if n}


def test_float_sampling_strategy_on_binary(make_sampler, imbalanced):
    X, y = imbalanced
    _, y_res = make_sampler(sampling_strategy=0.5).fit_resample(X, y)
    counts = Counter(y_res)
    assert counts[1] == int(0.5 * counts[0])


@pytest.mark.parametrize(
    "labels", [np.array([3, 7]), np.array(["no", "yes"]), np.array([False, True])]
)
def test_label_dtypes_are_kept(make_sampler, labels):
    rng = np.random.RandomState(0)
    y = np.repeat(labels, [40, 8])
    X = rng.standard_normal((48, 2))
    _, y_res = make_sampler().fit_resample(X, y)
    assert y_res.dtype == y.dtype
    assert Counter(y_res) == {labels[0]: 40, labels[1]: 40}


def test_same_seed_same_output_and_global_rng_untouched(make_sampler, imbalanced):
    X, y = imbalanced
    np.random.seed(123)
    torch.manual_seed(123)
    numpy_state = np.random.get_state()[1].copy()
    torch_state = torch.get_rng_state().clone()

    first = make_sampler(random_state=7)
    X1, _ = first.fit_resample(X, y)
    X2, _ = make_sampler(random_state=7).fit_resample(X, y)
    X3, _ = make_sampler(random_state=8).fit_resample(X, y)
    np.testing.assert_array_equal(X1, X2)
    assert not np.array_equal(X1, X3)
    first.sample(10)
    make_sampler(random_state=None).fit_resample(X, y)

    np.testing.assert_array_equal(np.random.get_state()[1], numpy_state)
    assert torch.equal(torch.get_rng_state(), torch_state)


@contextmanager
def _float64_default():
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        yield
    finally:
        torch.set_default_dtype(before)


@pytest.mark.parametrize("caller", [_float64_default, torch.no_grad, torch.inference_mode])
@pytest.mark.parametrize("conditional", [False, True])
def test_rows_do_not_depend_on_the_callers_torch_settings(make_sampler, caller, conditional):
    # Scientific code often sets float64 as torch's default dtype, and evaluation
    # loops run under no_grad or inference_mode: training stays float32 with autograd.
    rng = np.random.RandomState(0)
    X = pd.DataFrame(
        {
            "amount": np.where(rng.rand(80) < 0.2, np.nan, rng.lognormal(size=80)),
            "channel": rng.choice(["chip", "online", "tap"], 80).astype(object),
        }
    )
    y = np.repeat([0, 1], [60, 20])
    expected = make_sampler(conditional=conditional)
    X_expected, _ = expected.fit_resample(X, y)
    sampler = make_sampler(conditional=conditional)
    with caller():
        X_res, _ = sampler.fit_resample(X, y)
        drawn = sampler.sample(50)
    pd.testing.assert_frame_equal(X_res, X_expected)
    pd.testing.assert_frame_equal(drawn, expected.sample(50))
    assert all(p.dtype == torch.float32 for p in sampler.generators_[1].parameters())


def test_history_and_n_iter_per_class(make_sampler, imbalanced):
    X, y = imbalanced
    sampler = make_sampler(max_iter=7)
    sampler.fit_resample(X, y)
    assert sampler.n_iter_ == {1: 7}
    for losses in sampler.history_[1].values():
        assert losses.shape == (7,)
        assert np.isfinite(losses).all()
