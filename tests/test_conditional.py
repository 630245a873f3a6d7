"""conditional=True: one network on all classes, the class as input, fixed per class."""

import pickle
from collections import Counter

import numpy as np
import pandas as pd
import pytest
import torch

from imblearn_deepgen import GANOverSampler, VAEOverSampler
from imblearn_deepgen._networks import ClassConditioned
from imblearn_deepgen._training import balanced_batch_indices, evenly_spaced_rows

from .conftest import tiny_gan, tiny_vae


def test_balanced_batches_draw_every_class_equally_often():
    codes = np.r_[np.zeros(1000, dtype=np.int64), np.ones(10, dtype=np.int64)]
    generator = torch.Generator().manual_seed(0)
    batches = balanced_batch_indices(torch.as_tensor(codes), 256, generator, "cpu")
    drawn = torch.cat([next(batches) for _ in range(100)]).numpy()
    share_minority = np.mean(codes[drawn] == 1)
    assert 0.47 < share_minority < 0.53
    # Every row of the small class is reachable, and no index falls outside the data.
    assert set(drawn[codes[drawn] == 1]) == set(range(1000, 1010))
    assert drawn.min() >= 0 and drawn.max() < len(codes)


def test_evenly_spaced_rows_thin_only_the_classes_above_the_limit():
    y = np.r_[np.zeros(25, dtype=int), np.ones(4, dtype=int), np.zeros(5, dtype=int)]
    kept = evenly_spaced_rows(y, 10)
    assert np.all(np.diff(kept) > 0)
    assert set(np.flatnonzero(y == 1)) <= set(kept)
    zeros = kept[y[kept] == 0]
    # Ten rows spread from the first row of the class to its last.
    assert len(zeros) == 10 and zeros[0] == 0 and zeros[-1] == len(y) - 1
    even = evenly_spaced_rows(np.zeros(300, dtype=int), 50)
    assert len(np.unique(np.diff(even))) <= 2  # evenly spaced, up to rounding
    np.testing.assert_array_equal(evenly_spaced_rows(y, 30), np.arange(len(y)))


def test_a_conditional_model_fits_on_at_most_10000_rows_of_a_class():
    rng = np.random.default_rng(0)
    y = np.r_[np.zeros(12_000, dtype=int), np.ones(20, dtype=int)]
    X = rng.uniform(0.0, 1.0, size=(len(y), 2))
    left_out = np.setdiff1d(np.flatnonzero(y == 0), evenly_spaced_rows(y, 10_000))
    X[left_out[0], 0] = 50.0  # outside the thinned rows: neither encoded nor a clip bound
    sampler = tiny_gan(conditional=True, numeric_transform="minmax", filters=None)
    X_res, _ = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res[: len(y)], X)
    assert sampler.transformers_[1].numeric_.high_[0] < 1.0
    assert X_res[len(y) :, 0].max() < 1.0


@pytest.mark.parametrize(
    "make, params",
    # The GAN's moment match gives each class its own copy (tested in test_moments).
    [(tiny_gan, {"match_moments": False}), (tiny_vae, {})],
    ids=["gan", "vae"],
)
def test_one_shared_network_fixed_per_class(make, params):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    y = np.repeat([0, 1, 2], [240, 40, 20])
    sampler = make(conditional=True, **params)
    X_res, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 240, 1: 240, 2: 240}
    np.testing.assert_array_equal(X_res[: len(X)], X)
    networks = [sampler.generators_[c] for c in (1, 2)]
    assert all(isinstance(n, ClassConditioned) for n in networks)
    assert networks[0].network is networks[1].network
    # The condition is the class's position among all classes, majority included.
    np.testing.assert_array_equal(networks[0].condition.numpy(), [0.0, 1.0, 0.0])
    np.testing.assert_array_equal(networks[1].condition.numpy(), [0.0, 0.0, 1.0])
    assert sampler.transformers_[1] is sampler.transformers_[2]
    assert sampler.n_iter_ == {1: 5, 2: 5}


@pytest.mark.parametrize("sampler_class", [GANOverSampler, VAEOverSampler])
def test_generation_follows_the_condition(sampler_class):
    # Two classes far apart on the first feature: rows generated for the
    # minority must land near the minority, not the majority.
    rng = np.random.default_rng(1)
    X = np.r_[rng.normal(-5.0, 1.0, size=(400, 2)), rng.normal(5.0, 1.0, size=(40, 2))]
    y = np.repeat([0, 1], [400, 40])
    sampler = sampler_class(conditional=True, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    synthetic = X_res[len(X) :, 0]
    assert np.mean(synthetic > 0.0) > 0.9


@pytest.mark.parametrize("make", [tiny_gan, tiny_vae], ids=["gan", "vae"])
def test_same_seed_same_rows_and_pickle_continues_the_stream(make, imbalanced):
    X, y = imbalanced
    first = make(conditional=True).fit_resample(X, y)[0]
    sampler = make(conditional=True)
    second = sampler.fit_resample(X, y)[0]
    np.testing.assert_array_equal(first, second)
    restored = pickle.loads(pickle.dumps(sampler))
    np.testing.assert_array_equal(restored.sample(20), sampler.sample(20))


@pytest.mark.parametrize("make", [tiny_gan, tiny_vae], ids=["gan", "vae"])
def test_mixed_frame_with_tiny_class(make):
    rng = np.random.default_rng(3)
    n = 60
    X = pd.DataFrame(
        {
            "amount": rng.gamma(2.0, 10.0, size=n),
            "count": rng.integers(0, 5, size=n),
            "kind": pd.Categorical(rng.choice(["a", "b", "c"], size=n)),
        }
    )
    y = pd.Series(np.r_[np.zeros(n - 3, dtype=int), np.ones(3, dtype=int)], name="target")
    X_res, y_res = make(conditional=True).fit_resample(X, y)
    assert list(X_res.dtypes) == list(X.dtypes)
    pd.testing.assert_frame_equal(X_res.iloc[:n], X)
    synthetic = X_res.iloc[n:]
    assert len(synthetic) == n - 6
    # Values stay within what the training rows (all classes) showed.
    assert synthetic["amount"].between(X["amount"].min(), X["amount"].max()).all()
    assert set(synthetic["kind"]) <= set(X["kind"])
    assert (y_res.iloc[n:] == 1).all()


def test_conditional_must_be_a_bool(imbalanced):
    X, y = imbalanced
    with pytest.raises(ValueError, match="conditional"):
        tiny_gan(conditional="yes").fit_resample(X, y)
