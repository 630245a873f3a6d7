"""output_noise: the VAE draws numeric columns from its likelihood, not only its mean."""

import pickle

import numpy as np
import pandas as pd
import pytest
import torch

from .conftest import tiny_gan, tiny_vae


def _gaussian_minority(n_major=120, n_minor=60, seed=0):
    rng = np.random.RandomState(seed)
    X = np.vstack(
        [rng.normal(0.0, 1.0, (n_major, 4)), rng.normal(3.0, [1.0, 2.0, 0.5, 1.0], (n_minor, 4))]
    )
    return X, np.repeat([0, 1], [n_major, n_minor])


def _fitted(sampler, X, y):
    sampler.fit_resample(X, y)
    return sampler


def test_noise_is_the_reconstruction_error_times_output_noise():
    X, y = _gaussian_minority()
    one = _fitted(tiny_vae(output_noise=1.0, max_iter=50), X, y)
    two = _fitted(tiny_vae(output_noise=2.0, max_iter=50), X, y)
    error = one.generators_[1].numeric_std
    assert error.shape == (4,) and (error > 0).all()
    torch.testing.assert_close(two.generators_[1].numeric_std, 2.0 * error)
    assert _fitted(tiny_vae(output_noise=0.0), X, y).generators_[1].numeric_std is None


def test_noise_restores_the_spread_the_decoder_mean_loses():
    X, y = _gaussian_minority()
    real = X[y == 1].std(axis=0)
    spread = {}
    for noise in (0.0, 1.0):
        sampler = tiny_vae(encoder_hidden=(32,), max_iter=300, output_noise=noise)
        X_res, _ = sampler.fit_resample(X, y)
        spread[noise] = X_res[len(X) :].std(axis=0)
    assert (spread[0.0] < real).all()
    assert (spread[1.0] > spread[0.0]).all()
    assert np.abs(spread[1.0] - real).mean() < np.abs(spread[0.0] - real).mean()


@pytest.mark.parametrize("params", [{}, {"conditional": True}], ids=["per-class", "cond"])
def test_every_generation_path_carries_the_noise(params):
    X, y = _gaussian_minority()
    sampler = tiny_vae(output_noise=1.0, **params)
    sampler.fit_resample(X, y)
    network = sampler.generators_[1]
    assert network.numeric_std is not None
    restored = pickle.loads(pickle.dumps(sampler))
    torch.testing.assert_close(restored.generators_[1].numeric_std, network.numeric_std)
    np.testing.assert_array_equal(sampler.sample(50), restored.sample(50))


def test_categorical_columns_take_no_noise():
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"card": rng.choice(["visa", "amex", "mc"], 40)})
    y = np.repeat([0, 1], [30, 10])
    sampler = tiny_vae(output_noise=1.0)
    X_res, _ = sampler.fit_resample(frame, y)
    assert sampler.generators_[1].numeric_std is None
    assert set(X_res["card"]) <= {"visa", "amex", "mc"}


def test_the_gan_adds_no_noise():
    X, y = _gaussian_minority()
    assert _fitted(tiny_gan(), X, y).generators_[1].numeric_std is None
