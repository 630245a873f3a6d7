"""Bad input gets a clear error, training faults are caught, nothing is ever lost."""

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from imblearn_deepgen import GANOverSampler, VAEOverSampler
from imblearn_deepgen._training import LossLog, NonFiniteTrainingError

from .conftest import TINY_GAN, TINY_SAMPLERS, TINY_VAE, range_rows

DOCUMENTED_ERRORS = (ValueError, TypeError)


def _binary(n_major=30, n_minor=6, n_features=3, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((n_major + n_minor, n_features))
    return X, np.repeat([0, 1], [n_major, n_minor])


# -- input checks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad, word", [(np.nan, "missing"), (np.inf, "infinity"), (-np.inf, "infinity")]
)
def test_non_finite_values_name_the_column(make_sampler, bad, word):
    # Missing values are refused only with missing_values='error'; infinity always.
    X, y = _binary()
    frame = pd.DataFrame(X, columns=["Time", "V1", "Amount"])
    frame.loc[4, "Amount"] = bad
    with pytest.raises(ValueError, match=f"{word}.*'Amount'"):
        make_sampler(missing_values="error").fit_resample(frame, y)
    X[2, 1] = bad
    with pytest.raises(ValueError, match=f"{word}.*column 1"):
        make_sampler(missing_values="error").fit_resample(X, y)
    if word == "infinity":
        with pytest.raises(ValueError, match=f"{word}.*column 1"):
            make_sampler().fit_resample(X, y)


def test_sparse_input_suggests_densifying(make_sampler):
    X, y = _binary()
    with pytest.raises(TypeError, match="toarray"):
        make_sampler().fit_resample(sparse.csr_matrix(X), y)


def test_duplicate_column_names_are_explained(make_sampler):
    X, y = _binary()
    frame = pd.DataFrame(X[:, :3], columns=["a", "b", "a"])
    with pytest.raises(ValueError, match=r"duplicate column names \['a'\].*unique name"):
        make_sampler().fit_resample(frame, y)


def test_empty_input_is_explained(make_sampler):
    with pytest.raises(ValueError, match="sample"):
        make_sampler().fit_resample(np.empty((0, 3)), np.array([]))


@pytest.mark.parametrize("n_features", [1, 1200])
def test_one_and_many_features(make_sampler, n_features):
    X, y = _binary(n_features=n_features)
    X_res, _ = make_sampler().fit_resample(X, y)
    assert X_res.shape == (60, n_features)
    assert np.isfinite(X_res).all()


def test_constant_columns_and_duplicate_rows(make_sampler):
    X, y = _binary()
    X[:, 0] = 3.5
    X[30:] = X[30]  # the minority class is one row repeated
    for conditional in (False, True):
        X_res, _ = make_sampler(conditional=conditional).fit_resample(X, y)
        np.testing.assert_array_equal(X_res[36:, 0], 3.5)
    # A model of the class alone has nothing but that row to learn.
    np.testing.assert_allclose(
        make_sampler(conditional=False).fit_resample(X, y)[0][36:], np.tile(X[30], (24, 1))
    )


@pytest.mark.parametrize("transform", ["quantile", "standard", "minmax"])
def test_extreme_magnitudes(make_sampler, transform):
    X, y = _binary()
    X[:, 0] *= 1e30
    X[:, 1] *= 1e-30
    sampler = make_sampler(numeric_transform=transform)
    X_res, _ = sampler.fit_resample(X, y)
    assert np.isfinite(X_res).all()
    seen = range_rows(sampler, X, y)
    assert (X_res[36:] >= seen.min(axis=0)).all()
    assert (X_res[36:] <= seen.max(axis=0)).all()


def test_integers_near_the_int64_limit_do_not_overflow(make_sampler):
    rng = np.random.RandomState(0)
    big = np.iinfo(np.int64).max
    X = np.column_stack([big - rng.randint(0, 1000, 36), -big + rng.randint(0, 1000, 36)])
    y = np.repeat([0, 1], [30, 6])
    sampler = make_sampler()
    X_res, _ = sampler.fit_resample(X, y)
    assert X_res.dtype == np.int64
    seen = range_rows(sampler, X, y)
    assert (X_res[36:] >= seen.min(axis=0)).all()
    assert (X_res[36:] <= seen.max(axis=0)).all()


def test_object_column_mixing_strings_and_numbers(make_sampler):
    X = np.array([["a", 1.0], [2.5, 1.0], ["b", 3.0]] * 10, dtype=object)
    y = np.repeat([0, 1], [24, 6])
    kinds = r"Column 0 mixes values of different kinds \('a' \(str\), 2.5 \(float\)\)"
    with pytest.raises(ValueError, match=kinds + ".*categorical"):
        make_sampler().fit_resample(X, y)


@pytest.mark.parametrize(
    "y, message",
    [
        (np.zeros(36), "more than 1 class"),
        (np.linspace(0, 1, 36), "Unknown label type"),
        (np.repeat([0, 1], [30, 5]), "rows but y has 35"),
    ],
    ids=["one-class", "continuous", "length-mismatch"],
)
def test_bad_targets(make_sampler, y, message):
    X, _ = _binary()
    with pytest.raises(ValueError, match=message):
        make_sampler().fit_resample(X, y)


@pytest.mark.parametrize(
    "strategy, message",
    [({7: 40}, "not present"), ({1: 3}, "greater or equal")],
    ids=["unknown-class", "removes-rows"],
)
def test_bad_sampling_strategy_dict(make_sampler, strategy, message):
    X, y = _binary()
    with pytest.raises(ValueError, match=message):
        make_sampler(sampling_strategy=strategy).fit_resample(X, y)


# -- tiny classes ---------------------------------------------------------------------


def test_class_with_one_row_is_explained(make_sampler):
    X, y = _binary(n_minor=1)
    with pytest.raises(ValueError, match="has 1 row.*at least 2"):
        make_sampler().fit_resample(X, y)


@pytest.mark.parametrize("n_minor", [2, 3, 5])
def test_classes_of_two_to_five_rows(make_sampler, n_minor):
    X, y = _binary(n_minor=n_minor)
    X_res, y_res = make_sampler().fit_resample(X, y)
    assert (y_res == 1).sum() == 30
    assert np.isfinite(X_res).all()


# -- training faults ------------------------------------------------------------------


def test_loss_log_detects_non_finite_losses():
    log = LossLog(("loss",), 10, torch.device("cpu"), verbose=0, description="t")
    log.record(torch.tensor(1.0))
    with pytest.raises(NonFiniteTrainingError, match="step 1"):
        for _ in range(9):
            log.record(torch.tensor(float("nan")))


def _nan_loss_for(monkeypatch, n_bad_calls):
    """Make the VAE loss NaN for its first ``n_bad_calls`` calls."""
    import imblearn_deepgen._vae as vae_module

    real_loss, calls = vae_module.vae_loss, {"n": 0}

    def flaky(*args):
        calls["n"] += 1
        total, reconstruction, kl = real_loss(*args)
        if calls["n"] <= n_bad_calls:
            total = total * float("nan")
        return total, reconstruction, kl

    monkeypatch.setattr(vae_module, "vae_loss", flaky)


def test_divergence_is_retried_once_at_a_lower_learning_rate(monkeypatch):
    X, y = _binary()
    _nan_loss_for(monkeypatch, n_bad_calls=TINY_VAE["max_iter"])
    with pytest.warns(RuntimeWarning, match="retrying once with learning_rate=0.0001"):
        X_res, _ = VAEOverSampler(**TINY_VAE).fit_resample(X, y)
    assert np.isfinite(X_res).all()


def test_persistent_divergence_raises_a_clear_error(monkeypatch):
    X, y = _binary()
    _nan_loss_for(monkeypatch, n_bad_calls=10**9)
    with pytest.warns(RuntimeWarning), pytest.raises(RuntimeError, match="diverged.*lower"):
        VAEOverSampler(**TINY_VAE).fit_resample(X, y)


def test_non_finite_generated_values_are_never_returned(monkeypatch):
    from imblearn_deepgen import _networks

    monkeypatch.setattr(_networks.Generator, "forward", lambda self, z: self.body(z) * np.inf)
    X, y = _binary()
    with pytest.warns(RuntimeWarning), pytest.raises(RuntimeError, match="NaN or infinite"):
        GANOverSampler(**TINY_GAN).fit_resample(X, y)


def test_out_of_memory_is_reraised_with_advice(monkeypatch, make_sampler):
    def out_of_memory(*args, **kwargs):
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    sampler = make_sampler()
    monkeypatch.setattr(type(sampler), "_train_class", out_of_memory)
    X, y = _binary()
    with pytest.raises(MemoryError, match="batch_size.*device='cpu'"):
        sampler.fit_resample(X, y)


# -- state safety ---------------------------------------------------------------------


def test_refit_replaces_all_fitted_state(make_sampler):
    sampler = make_sampler()
    sampler.fit_resample(*_binary())
    rng = np.random.RandomState(1)
    X3 = rng.standard_normal((60, 3))
    y3 = np.repeat(["a", "b", "c"], [30, 20, 10])
    sampler.fit_resample(X3, y3)
    for attribute in ("generators_", "transformers_", "history_", "n_iter_"):
        assert set(getattr(sampler, attribute)) == {"b", "c"}


def test_refit_on_bad_input_or_fit_alone_keeps_no_model_of_earlier_data(make_sampler):
    from sklearn.exceptions import NotFittedError

    X, y = _binary()
    sampler = make_sampler()
    sampler.fit_resample(X, y)
    bad = X.copy()
    bad[0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        sampler.fit_resample(bad, y)
    assert not hasattr(sampler, "generators_")
    with pytest.raises(NotFittedError):
        sampler.sample(5)
    sampler.fit_resample(X, y)
    sampler.fit(X, y)  # validates only: the networks of the last fit_resample are gone
    with pytest.raises(NotFittedError):
        sampler.sample(5)


def test_keyboard_interrupt_propagates_and_keeps_no_model(monkeypatch, make_sampler):
    # Per class, so that the interrupt falls between two classes' training.
    sampler = make_sampler(conditional=False)
    sampler.fit_resample(*_binary())
    calls = {"n": 0}
    real_train = type(sampler)._train_class

    def interrupted(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real_train(self, *args, **kwargs)

    monkeypatch.setattr(type(sampler), "_train_class", interrupted)
    rng = np.random.RandomState(1)
    with pytest.raises(KeyboardInterrupt):
        sampler.fit_resample(rng.standard_normal((60, 3)), np.repeat([0, 1, 2], [30, 20, 10]))
    assert not hasattr(sampler, "generators_")
    assert not hasattr(sampler, "history_")


def _fit_rows(make, seed):
    X, y = _binary(seed=seed)
    return make(random_state=seed).fit_resample(X, y)[0]


@pytest.mark.parametrize("backend", ["threading", "loky"])
def test_parallel_fits_match_serial_fits(make_sampler, backend):
    seeds = [0, 1, 2, 3]
    serial = [_fit_rows(make_sampler, s) for s in seeds]
    parallel = joblib.Parallel(n_jobs=2, backend=backend)(
        joblib.delayed(_fit_rows)(make_sampler, s) for s in seeds
    )
    for a, b in zip(serial, parallel, strict=True):
        np.testing.assert_array_equal(a, b)


def test_grid_search_parallel_matches_serial(make_sampler):
    from imblearn.pipeline import Pipeline
    from sklearn.linear_model import LogisticRegression

    X, y = _binary(n_major=60, n_minor=16)
    pipeline = Pipeline([("sampler", make_sampler()), ("clf", LogisticRegression())])
    results = []
    for n_jobs in (1, 2):
        search = GridSearchCV(
            pipeline,
            {"sampler__max_iter": [3, 6]},
            scoring="roc_auc",
            n_jobs=n_jobs,
            cv=StratifiedKFold(n_splits=2, shuffle=True, random_state=0),
        ).fit(X, y)
        results.append(search.cv_results_["mean_test_score"])
    np.testing.assert_array_equal(*results)


def test_zero_threads_is_explained(make_sampler):
    with pytest.raises(ValueError, match="n_jobs=0"):
        make_sampler(n_jobs=0).fit_resample(*_binary())


def test_torch_thread_count_is_restored(make_sampler):
    before = torch.get_num_threads()
    make_sampler(n_jobs=-1).fit_resample(*_binary())
    assert torch.get_num_threads() == before


# -- nothing lost ---------------------------------------------------------------------


def test_inputs_are_not_modified(make_sampler):
    rng = np.random.RandomState(0)
    X = pd.DataFrame(
        {
            "amount": rng.lognormal(size=36),
            "card": pd.Categorical(rng.choice(["visa", "mc"], 36)),
            "n": rng.randint(0, 5, 36),
        },
        index=np.arange(100, 136),
    )
    y = pd.Series(np.repeat([0, 1], [30, 6]), index=X.index)
    X_array = rng.standard_normal((36, 3))
    hashes = [joblib.hash(X), joblib.hash(y), joblib.hash(X_array)]
    X_res, y_res = make_sampler().fit_resample(X, y)
    make_sampler().fit_resample(X_array, y.to_numpy())
    assert [joblib.hash(X), joblib.hash(y), joblib.hash(X_array)] == hashes
    # Output gets a fresh RangeIndex, like other imblearn samplers; rows are kept in order.
    assert X_res.index.equals(pd.RangeIndex(60))
    pd.testing.assert_frame_equal(X_res.iloc[:36], X.reset_index(drop=True))


# -- fuzzing --------------------------------------------------------------------------


@st.composite
def fuzz_cases(draw):
    n_classes = draw(st.integers(1, 3))
    counts = [draw(st.integers(1, 12)) for _ in range(n_classes)]
    n_features = draw(st.integers(1, 4))
    rng = np.random.RandomState(draw(st.integers(0, 2**16)))
    n = sum(counts)
    columns = {}
    for j in range(n_features):
        kind = draw(st.sampled_from(["float", "int", "str", "bool", "nan", "huge"]))
        values = {
            "float": rng.standard_normal(n),
            "int": rng.randint(-3, 3, n),
            "str": rng.choice(["a", "b", "c"], n).astype(object),
            "bool": rng.rand(n) < 0.5,
            "nan": np.where(rng.rand(n) < 0.2, np.nan, rng.rand(n)),
            "huge": rng.standard_normal(n) * 1e200,
        }[kind]
        columns[f"c{j}"] = values
    X = pd.DataFrame(columns)
    if draw(st.booleans()):
        X = X.to_numpy()
    y = np.repeat(np.arange(n_classes), counts)
    params = draw(
        st.fixed_dictionaries(
            {
                "max_iter": st.integers(1, 4),
                "batch_size": st.one_of(st.just("auto"), st.integers(2, 16)),
                "filters": st.sampled_from([None, "linear", "classifier"]),
                "numeric_transform": st.sampled_from(["quantile", "standard", "minmax"]),
                "learning_rate": st.floats(1e-4, 1e-1),
            }
        )
    )
    make = draw(st.sampled_from(TINY_SAMPLERS))
    return X, y, make, params


@given(case=fuzz_cases())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fuzz_fit_resample_gives_a_result_or_a_documented_error(case):
    X, y, make, params = case
    sampler = make(**params)
    try:
        X_res, y_res = sampler.fit_resample(X, y)
    except DOCUMENTED_ERRORS:
        return
    assert len(X_res) == len(y_res)
    n_new = sum(sampler.sampling_strategy_.values())
    assert len(y_res) == len(y) + n_new
    synthetic = pd.DataFrame(X_res).iloc[len(y) :]
    given = pd.DataFrame(X)
    # Synthetic values are finite, and missing only in columns with missing values.
    for column in synthetic.select_dtypes("number"):
        values = synthetic[column].to_numpy(dtype=float, na_value=np.nan)
        assert not np.isinf(values).any()
        assert given[column].isna().any() or not np.isnan(values).any()
