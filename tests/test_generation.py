"""Generation internals: folded layers equal the trained network, chunking is seamless."""

import pickle

import numpy as np
import pandas as pd
import pytest
import torch

from imblearn_deepgen import GANOverSampler, _columns
from imblearn_deepgen._generation import GENERATION_CHUNK, FoldedMLP
from imblearn_deepgen._networks import Decoder, Discriminator, Generator

from .conftest import range_rows


def _generator(seed=0):
    return torch.Generator().manual_seed(seed)


def _with_running_statistics(network, seed=0):
    """Give every BatchNorm non-trivial running statistics and affine parameters."""
    rng = _generator(seed)
    for module in network.modules():
        if isinstance(module, torch.nn.BatchNorm1d):
            size = module.num_features
            module.running_mean.copy_(torch.randn(size, generator=rng))
            module.running_var.copy_(torch.rand(size, generator=rng) + 0.1)
            with torch.no_grad():
                module.weight.copy_(torch.randn(size, generator=rng))
                module.bias.copy_(torch.randn(size, generator=rng))
    return network


@pytest.mark.parametrize(
    "network",
    [
        _with_running_statistics(Generator(6, (16, 8), 5, generator=_generator())),
        Decoder(3, (8, 8), 4, generator=_generator()),
    ],
    ids=["generator", "decoder"],
)
def test_folded_layers_match_the_eval_mode_network(network):
    network.eval()
    z = torch.randn(37, network.latent_dim, generator=_generator(1))
    folded = FoldedMLP(network.body, max_rows=64)
    with torch.inference_mode():
        expected = network(z)
        np.testing.assert_allclose(folded(z), expected, rtol=1e-5, atol=1e-5)
        # Reused buffers: a second, smaller call is not contaminated by the first.
        np.testing.assert_allclose(folded(z[:5]), expected[:5], rtol=1e-5, atol=1e-5)


def test_folding_refuses_layers_it_cannot_fold():
    discriminator = Discriminator(4, (8,), generator=_generator())
    with pytest.raises(TypeError, match="cannot fold LeakyReLU"):
        FoldedMLP(discriminator.body, max_rows=8)


@pytest.mark.parametrize(
    "n_rows", [GENERATION_CHUNK - 1, GENERATION_CHUNK, 2 * GENERATION_CHUNK + 3]
)
def test_sample_across_chunk_boundaries(make_sampler, imbalanced, n_rows):
    X, y = imbalanced
    sampler = make_sampler(random_state=0)
    sampler.fit_resample(X, y)
    rows = sampler.sample(n_rows)
    assert rows.shape == (n_rows, X.shape[1])
    assert np.isfinite(rows).all()
    seen = range_rows(sampler, X, y)
    assert (rows >= seen.min(axis=0)).all() and (rows <= seen.max(axis=0)).all()
    # Chunks are not copies of each other: each draws fresh noise.
    if n_rows > GENERATION_CHUNK:
        assert not np.array_equal(rows[:10], rows[GENERATION_CHUNK : GENERATION_CHUNK + 10])


@pytest.mark.parametrize("dtype", [np.float64, np.int8, object])
def test_output_memory_mapped_up_front_is_an_ordinary_writable_array(monkeypatch, dtype):
    monkeypatch.setattr(_columns, "_POPULATE_BYTES", 1)
    array = _columns._mapped_empty((3, 1000), dtype)
    assert array.shape == (3, 1000) and array.dtype == np.dtype(dtype)
    assert array.flags.writeable and array.flags.c_contiguous
    array[:] = 7
    assert (array == 7).all()
    restored = pickle.loads(pickle.dumps(array))
    np.testing.assert_array_equal(restored, array)


def test_sample_into_mapped_memory_matches_ordinary_memory(monkeypatch, imbalanced):
    X, y = imbalanced
    frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(X.shape[1])])
    frame["kind"] = pd.Categorical(np.where(X[:, 0] > 0, "a", "b"))
    results = []
    for threshold in (2**62, 1):
        monkeypatch.setattr(_columns, "_POPULATE_BYTES", threshold)
        sampler = GANOverSampler(max_iter=5, random_state=0)
        sampler.fit_resample(frame, y)
        results.append(sampler.sample(500))
    pd.testing.assert_frame_equal(results[0], results[1])


def test_rows_do_not_depend_on_the_number_of_threads(make_sampler, imbalanced):
    X, y = imbalanced
    sampler = make_sampler(random_state=0)
    sampler.fit_resample(X, y)
    n_rows = 3 * GENERATION_CHUNK + 5  # several chunks, made side by side with two threads
    rows = {}
    for n_jobs in (None, 2):
        copy = pickle.loads(pickle.dumps(sampler))
        rows[n_jobs] = copy.set_params(n_jobs=n_jobs).sample(n_rows)
    np.testing.assert_array_equal(rows[None], rows[2])
