"""Every default in one table: its value, and the one rule by which it follows the data."""

import re

import numpy as np
import pytest
import torch

from imblearn_deepgen import GANOverSampler, VAEOverSampler
from imblearn_deepgen._filters import check_filters

SHARED = {
    "sampling_strategy": "auto",
    "random_state": None,
    "categorical_features": "auto",
    "missing_values": "model",
    "numeric_transform": "quantile",
    "learning_rate": 1e-3,
    "batch_size": "auto",
    "device": "auto",
    "n_jobs": None,
    "verbose": 0,
}
DEFAULTS = {
    GANOverSampler: {
        **SHARED,
        "conditional": False,
        "filters": ("linear", "classifier"),
        "generator_hidden": (128, 128),
        "discriminator_hidden": (64, 64),
        "moment_weight": 1.0,
        "match_moments": True,
        "max_iter": 500,
    },
    VAEOverSampler: {
        **SHARED,
        "conditional": True,
        "filters": "classifier",
        "encoder_hidden": (64, 64),
        "latent_dim": 8,
        "kl_weight": 0.5,
        "output_noise": 0.7,
        "max_iter": "auto",
    },
}
# Options that lost their ablations or that no configuration needs any more.
REMOVED = {
    GANOverSampler: [
        ("pac", 2),
        ("loss", "wgan-gp"),
        ("n_critic", 5),
        ("auxiliary_weight", 1.0),
        ("betas", (0.5, 0.9)),
        ("generator_batchnorm", False),
        ("latent_dim", 8),
        ("correlation_weight", 3.0),
        ("filter_neighbors", 5),
        ("filter_linear", True),
    ],
    VAEOverSampler: [
        ("latent_sampling", "posterior"),
        ("decoder_hidden", (64, 64)),
        ("match_moments", True),
        ("filter_neighbors", 5),
        ("filter_linear", True),
    ],
}
SAMPLERS = list(DEFAULTS)
IDS = ["gan", "vae"]


@pytest.mark.parametrize("cls", SAMPLERS, ids=IDS)
def test_defaults_are_the_table(cls):
    assert cls().get_params() == DEFAULTS[cls]
    assert len(DEFAULTS[cls]) <= 17


@pytest.mark.parametrize("cls", SAMPLERS, ids=IDS)
def test_every_parameter_and_fitted_attribute_is_documented(cls):
    parameters, attributes = cls.__doc__.split("Attributes\n    ----------")
    documented = re.findall(r"^    (\w+) : ", parameters, flags=re.MULTILINE)
    assert sorted(documented) == sorted(DEFAULTS[cls])
    documented = set(re.findall(r"^    (\w+_) : ", attributes, flags=re.MULTILINE))
    assert {"batch_size_", "n_iter_", "history_", "generators_", "device_"} <= documented


@pytest.mark.parametrize("cls", SAMPLERS, ids=IDS)
def test_each_sampler_documents_only_its_own_parameters(cls):
    other = VAEOverSampler if cls is GANOverSampler else GANOverSampler
    own_only = set(DEFAULTS[other]) - set(DEFAULTS[cls])
    text = cls.__doc__
    for name in own_only:
        assert f"``{name}``" not in text and f"{name} :" not in text, name


@pytest.mark.parametrize("conditional", [False, True], ids=["per-class", "conditional"])
@pytest.mark.parametrize(("n_minority", "n_majority"), [(40, 160), (300, 400)])
@pytest.mark.parametrize("cls", SAMPLERS, ids=IDS)
def test_batch_size_auto_is_min_256_n_rows_in_both_modes(cls, conditional, n_minority, n_majority):
    rng = np.random.RandomState(0)
    X = rng.standard_normal((n_minority + n_majority, 3))
    y = np.repeat([1, 0], [n_minority, n_majority])
    sampler = cls(max_iter=2, conditional=conditional, filters=None, random_state=0)
    sampler.fit_resample(X, y)
    n_rows = len(y) if conditional else n_minority
    assert sampler.batch_size_ == {1: min(256, n_rows)}
    sampler.set_params(batch_size=17).fit_resample(X, y)
    assert sampler.batch_size_ == {1: 17}


@pytest.mark.parametrize("cls", SAMPLERS, ids=IDS)
def test_conditional_models_keep_every_other_default(cls):
    # One rule per default: the filters, the moment match and the output noise
    # act on a conditional model as on a per-class one.
    rng = np.random.RandomState(0)
    X = np.r_[rng.normal(0.0, 1.0, (80, 3)), rng.normal(2.0, 1.0, (20, 3))]
    y = np.repeat([0, 1], [80, 20])
    sampler = cls(max_iter=5, conditional=True, random_state=0)
    sampler.fit_resample(X, y)
    assert sampler._row_filter.names == check_filters(DEFAULTS[cls]["filters"])
    network = sampler.generators_[1]
    if cls is VAEOverSampler:
        assert network.numeric_std is not None
    else:  # matched: a copy of the shared network, with its own output layer
        reference = cls(max_iter=5, conditional=True, random_state=0, match_moments=False)
        reference.fit_resample(X, y)
        matched = network.network.body[-1].weight
        assert not torch.equal(matched, reference.generators_[1].network.body[-1].weight)


@pytest.mark.parametrize(
    ("cls", "name", "value"),
    [(cls, name, value) for cls, removed in REMOVED.items() for name, value in removed],
)
def test_removed_parameters_fail_by_name(cls, name, value):
    with pytest.raises(TypeError, match=name):
        cls(**{name: value})
    with pytest.raises(ValueError, match=f"Invalid parameter '{name}'"):
        cls().set_params(**{name: value})
