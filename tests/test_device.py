"""Device resolution and the CUDA code path (skipped without a GPU)."""

import warnings

import numpy as np
import pytest
import torch

from imblearn_deepgen._torch_utils import resolve_device

needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")


def test_auto_resolves_to_an_available_device():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert resolve_device("auto").type == expected


def test_cpu_and_torch_device_are_accepted():
    assert resolve_device("cpu") == torch.device("cpu")
    assert resolve_device(torch.device("cpu")) == torch.device("cpu")


def test_unknown_device_string_is_an_error():
    with pytest.raises(ValueError, match="device"):
        resolve_device("tpu:banana")


@pytest.mark.skipif(torch.cuda.is_available(), reason="tests the fallback without CUDA")
def test_unavailable_cuda_warns_and_falls_back(make_sampler, imbalanced):
    X, y = imbalanced
    sampler = make_sampler(device="cuda:0")
    with pytest.warns(UserWarning, match="not available"):
        sampler.fit_resample(X, y)
    assert sampler.device_ == torch.device("cpu")


def test_cpu_fit_emits_no_warning(make_sampler, imbalanced):
    X, y = imbalanced
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make_sampler(device="cpu").fit_resample(X, y)


@pytest.mark.gpu
@needs_cuda
def test_cuda_fit_and_cpu_storage(make_sampler, imbalanced):
    X, y = imbalanced
    sampler = make_sampler(device="cuda")
    X_res, _ = sampler.fit_resample(X, y)
    assert sampler.device_.type == "cuda"
    assert np.isfinite(X_res).all()
    for network in sampler.generators_.values():
        assert all(p.device.type == "cpu" for p in network.parameters())
    assert sampler.sample(1000).shape == (1000, X.shape[1])
