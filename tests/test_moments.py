"""match_moments: the trained network's numeric output gets its class's mean and covariance."""

import numpy as np
import torch

from imblearn_deepgen._moments import match_output_moments
from imblearn_deepgen._networks import Generator, sampled_output
from imblearn_deepgen._transformer import OutputSpans

from .conftest import tiny_gan

SPANS = OutputSpans(n_numeric=3, numeric_activation="linear", category_sizes=(2,))


def _correlated_rows(n_rows, seed):
    rng = np.random.RandomState(seed)
    mixing = np.array([[1.0, 0.0, 0.0], [0.9, 0.3, 0.0], [-0.5, 0.2, 0.4]])
    return torch.as_tensor(rng.standard_normal((n_rows, 3)) @ mixing.T + [2.0, -1.0, 0.5])


def _numeric_output(network, n_rows, generator):
    with torch.no_grad():
        raw = network.body(network.sample_latent(n_rows, generator))
        numeric, _ = sampled_output(
            raw, SPANS, generator=generator, numeric_std=network.numeric_std
        )
        return numeric.double()


def test_the_output_takes_the_real_mean_and_covariance():
    generator = torch.Generator().manual_seed(0)
    network = Generator(4, (16,), SPANS.width, generator=generator)
    real = _correlated_rows(400, seed=1)
    network.eval()
    categorical_weights = network.body[-1].weight[3:].detach().clone()
    before = _numeric_output(network, 20_000, generator)
    match_output_moments(network, real.float(), generator)
    after = _numeric_output(network, 20_000, generator)

    def gaps(rows):
        return (
            (rows.mean(0) - real.mean(0)).abs().max(),
            (torch.cov(rows.T) - torch.cov(real.T)).abs().max(),
        )

    mean_gap, covariance_gap = gaps(after)
    assert mean_gap < 0.05 and covariance_gap < 0.05
    assert min(gaps(before)) > 0.3  # the untrained network was far off
    torch.testing.assert_close(network.body[-1].weight[3:], categorical_weights)


def test_a_class_with_fewer_rows_than_columns_stays_finite():
    generator = torch.Generator().manual_seed(0)
    network = Generator(4, (16,), SPANS.width, generator=generator)
    real = _correlated_rows(2, seed=1).float()  # a rank-one covariance
    match_output_moments(network, real, generator)
    rows = _numeric_output(network, 1_000, generator)
    assert torch.isfinite(rows).all()
    torch.testing.assert_close(rows.mean(0), real.double().mean(0), atol=0.1, rtol=0)


def _class_gaps(X_res, X, y, label):
    synthetic, real = X_res[len(X) :], X[y == label]
    return (
        np.abs(synthetic.mean(0) - real.mean(0)).max(),
        np.abs(np.cov(synthetic.T) - np.cov(real.T)).max(),
    )


def _two_classes():
    X = np.r_[_correlated_rows(200, seed=2).numpy() - 3.0, _correlated_rows(40, seed=3).numpy()]
    return X, np.repeat([0, 1], [200, 40])


def _synthetic_rows(X, y, numeric_transform):
    """The minority rows a tiny GAN generates without and with the match."""
    rows = {}
    for match in (False, True):
        sampler = tiny_gan(
            match_moments=match,
            numeric_transform=numeric_transform,
            filters=None,
            sampling_strategy={1: 4_000},
        )
        rows[match] = sampler.fit_resample(X, y)[0][len(X) :]
    return rows


def test_generated_rows_have_the_class_moments():
    # With the standardising transform the encoded space is the value space
    # up to scale, so the match shows in the rows the user gets (less exactly:
    # values are clipped to the class's range).
    X, y = _two_classes()
    rows = _synthetic_rows(X, y, "standard")
    gaps = {match: _class_gaps(np.r_[X, synthetic], X, y, 1) for match, synthetic in rows.items()}
    assert gaps[True][0] < gaps[False][0]
    assert gaps[True][1] < gaps[False][1] / 2


def test_a_conditional_model_matches_each_class_on_its_own():
    X = np.r_[
        _correlated_rows(200, seed=4).numpy() - 3.0,
        _correlated_rows(40, seed=5).numpy(),
        _correlated_rows(40, seed=6).numpy() * 0.5 + 4.0,
    ]
    y = np.repeat([0, 1, 2], [200, 40, 40])
    sampler = tiny_gan(
        conditional=True,
        match_moments=True,
        numeric_transform="standard",
        filters=None,
        sampling_strategy={1: 1_000, 2: 1_000},
    )
    X_res, y_res = sampler.fit_resample(X, y)
    for label in (1, 2):
        synthetic, real = X_res[len(X) :][y_res[len(X) :] == label], X[y == label]
        assert np.abs(synthetic.mean(0) - real.mean(0)).max() < 0.1
        assert np.abs(np.cov(synthetic.T) - np.cov(real.T)).max() < 0.3


def test_the_conditional_network_itself_is_left_unchanged():
    # Each class matches its own copy; the shared network keeps its weights.
    X = np.random.RandomState(0).standard_normal((90, 3))
    y = np.repeat([0, 1, 2], [60, 15, 15])
    sampler = tiny_gan(conditional=True, filters=None)
    sampler.fit_resample(X, y)
    shared_1 = sampler.generators_[1].network.body[-1].weight
    shared_2 = sampler.generators_[2].network.body[-1].weight
    assert not torch.equal(shared_1, shared_2)


def test_minmax_output_is_matched_before_its_sigmoid():
    # The match works on the logit of the [0, 1] scale: there, the generated
    # rows take the class's mean; the sigmoid keeps them within the range.
    X, y = _two_classes()
    real = X[y == 1]
    low, high = real.min(0), real.max(0)

    def logit(rows):
        scaled = np.clip((rows - low) / (high - low), 1e-3, 1 - 1e-3)
        return np.log(scaled / (1 - scaled))

    gaps = {}
    for match, synthetic in _synthetic_rows(X, y, "minmax").items():
        assert (synthetic >= low).all() and (synthetic <= high).all()
        gaps[match] = np.abs(logit(synthetic).mean(0) - logit(real).mean(0)).max()
    assert gaps[True] < 0.1 < gaps[False]
