"""Fitted samplers survive pickle and joblib round trips."""

import pickle

import joblib
import numpy as np
from sklearn.base import clone


def test_pickle_round_trip_keeps_sampling(make_sampler, imbalanced, tmp_path):
    X, y = imbalanced
    sampler = make_sampler()
    sampler.fit_resample(X, y)
    restored = pickle.loads(pickle.dumps(sampler))
    assert restored.get_params() == sampler.get_params()
    # The sampling stream is part of the fitted state: both continue identically.
    np.testing.assert_array_equal(restored.sample(50), sampler.sample(50))

    path = tmp_path / "sampler.joblib"
    joblib.dump(restored, path)
    loaded = joblib.load(path)
    new_rows = loaded.sample(10)
    assert new_rows.shape == (10, X.shape[1])
    assert np.isfinite(new_rows).all()


def test_fitted_networks_are_stored_on_cpu(make_sampler, imbalanced):
    X, y = imbalanced
    sampler = make_sampler()
    sampler.fit_resample(X, y)
    for network in sampler.generators_.values():
        assert all(p.device.type == "cpu" for p in network.parameters())


def test_clone_gives_an_unfitted_copy(make_sampler, imbalanced):
    X, y = imbalanced
    sampler = make_sampler()
    sampler.fit_resample(X, y)
    copy = clone(sampler)
    assert not hasattr(copy, "generators_")
    assert copy.get_params() == sampler.get_params()
