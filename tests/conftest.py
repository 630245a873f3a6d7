"""Shared fixtures: tiny training settings keep every fit well under a second."""

import numpy as np
import pytest
from sklearn.datasets import make_classification

from imblearn_deepgen import GANOverSampler, VAEOverSampler

TINY_GAN = dict(generator_hidden=(16,), discriminator_hidden=(16,), max_iter=5, random_state=0)
TINY_VAE = dict(encoder_hidden=(16,), latent_dim=2, max_iter=5, random_state=0)


def tiny_gan(**params):
    return GANOverSampler(**{**TINY_GAN, **params})


def tiny_vae(**params):
    return VAEOverSampler(**{**TINY_VAE, **params})


TINY_SAMPLERS = [tiny_gan, tiny_vae]


@pytest.fixture(params=TINY_SAMPLERS, ids=["gan", "vae"])
def make_sampler(request):
    """Factory of a tiny GAN or VAE oversampler (parametrized over both)."""
    return request.param


def range_rows(sampler, X, y, label=1):
    """The rows whose range bounds a class's synthetic values.

    A per-class model clips to its class's rows; a conditional one to every row.
    """
    return X if sampler.conditional else X[np.asarray(y) == label]


@pytest.fixture
def imbalanced():
    """A small binary problem with a 1:9 imbalance."""
    return make_classification(
        n_samples=200, n_features=5, n_informative=3, weights=[0.9], random_state=0
    )
