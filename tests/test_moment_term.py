"""moment_weight: the GAN's generator matches the spread and correlations of its class."""

import numpy as np
import pandas as pd
import torch

from imblearn_deepgen._losses import batch_moment_gap, correlation_mismatch, moment_mismatch

from .conftest import tiny_gan


def test_correlation_mismatch_measures_the_gap():
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(500, 1, generator=generator)
    correlated = torch.cat([x, x + 0.1 * torch.randn(500, 1, generator=generator)], dim=1)
    independent = torch.randn(500, 2, generator=generator)
    assert correlation_mismatch(correlated, correlated) < 1e-6
    # Off-diagonal correlations of about 1 against 0: two of four entries differ by ~1.
    assert 0.4 < correlation_mismatch(correlated, independent) < 0.6
    constant = torch.cat([x, torch.zeros(500, 1)], dim=1)
    assert torch.isfinite(correlation_mismatch(constant, independent))


def test_the_term_keeps_correlated_columns_together():
    rng = np.random.RandomState(0)
    x = rng.standard_normal(200)
    X = np.c_[x, x + 0.3 * rng.standard_normal(200), rng.standard_normal(200)]
    y = np.repeat([0, 1], [100, 100])
    X[y == 0] += 4.0
    real = np.corrcoef(X[y == 1, :2].T)[0, 1]
    gaps = {}
    for weight in (0.0, 1.0):
        sampler = tiny_gan(
            generator_hidden=(32,),
            max_iter=300,
            moment_weight=weight,
            sampling_strategy={1: 400},
            # The term alone: filters reshape the rows they keep, and the
            # moment match would give both models the real correlations.
            filters=None,
            match_moments=False,
        )
        X_res, _ = sampler.fit_resample(X, y)
        synthetic = X_res[len(X) :]
        gaps[weight] = abs(np.corrcoef(synthetic[:, :2].T)[0, 1] - real)
    assert gaps[1.0] < gaps[0.0]


def test_a_single_category_column_does_not_break_training():
    # One category only: its one-hot column is constant in real and generated
    # batches, the case where a correlation's square root has no gradient.
    rng = np.random.RandomState(0)
    frame = pd.DataFrame(
        {"only": ["a"] * 40, "size": rng.choice(["s", "m", "l"], 40), "x": rng.rand(40)}
    )
    y = np.repeat([0, 1], [30, 10])
    X_res, _ = tiny_gan(moment_weight=1.0, max_iter=20).fit_resample(frame, y)
    assert (X_res["only"] == "a").all()
    assert np.isfinite(X_res["x"]).all()


def test_a_conditional_batch_is_compared_class_by_class():
    generator = torch.Generator().manual_seed(0)
    real = torch.randn(60, 3, generator=generator)
    fake = torch.randn(60, 3, generator=generator)
    codes = torch.arange(60) % 3
    codes[0] = 3  # a class with one row in the batch has no spread to compare
    expected = torch.stack(
        [
            moment_mismatch(real[codes == c], fake[codes == c])
            + 3.0 * correlation_mismatch(real[codes == c], fake[codes == c])
            for c in range(3)
        ]
    ).mean()
    torch.testing.assert_close(batch_moment_gap(real, fake, codes), expected)
    assert not torch.isclose(batch_moment_gap(real, fake), expected)


def test_the_term_keeps_a_conditional_gans_condition():
    # Batches that mix two far-apart classes have strong pooled correlations that
    # say where the classes are; compared class by class, the term does not
    # pull generated rows between them.
    rng = np.random.default_rng(1)
    X = np.r_[rng.normal(-5.0, 1.0, size=(400, 2)), rng.normal(5.0, 1.0, size=(40, 2))]
    y = np.repeat([0, 1], [400, 40])
    in_class = {}
    for weight in (0.0, 1.0):
        sampler = tiny_gan(conditional=True, max_iter=300, moment_weight=weight, filters=None)
        X_res, _ = sampler.fit_resample(X, y)
        in_class[weight] = np.mean(X_res[len(X) :, 0] > 0.0)
    assert in_class[1.0] >= in_class[0.0] - 0.05
