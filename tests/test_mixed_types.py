"""Mixed tables: categorical, integer and boolean columns in, valid values out."""

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imblearn.pipeline import Pipeline
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from .conftest import TINY_SAMPLERS, range_rows, tiny_gan, tiny_vae

COLUMN_KINDS = ["float", "int", "bool", "category", "string"]


def _column(kind, rng, n):
    if kind == "float":
        return rng.lognormal(size=n)  # heavy-tailed, like amounts
    if kind == "int":
        return rng.randint(-5, 50, size=n)
    if kind == "bool":
        return rng.rand(n) < 0.3
    if kind == "category":
        return pd.Categorical(
            rng.choice(["visa", "amex", "mc"], size=n), categories=["amex", "mc", "visa", "unused"]
        )
    return rng.choice(np.array(["chip", "swipe", "online", "tap"], dtype=object), size=n)


@st.composite
def mixed_frames(draw):
    kinds = draw(st.lists(st.sampled_from(COLUMN_KINDS), min_size=1, max_size=6))
    n_minority = draw(st.integers(2, 25))
    n_majority = draw(st.integers(n_minority + 1, 60))
    rng = np.random.RandomState(draw(st.integers(0, 2**16)))
    n = n_minority + n_majority
    X = pd.DataFrame({f"{kind}_{j}": _column(kind, rng, n) for j, kind in enumerate(kinds)})
    y = pd.Series(np.repeat([0, 1], [n_majority, n_minority]), name="fraud")
    return X, y


@given(data=mixed_frames(), make=st.sampled_from(TINY_SAMPLERS))
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_synthetic_values_are_valid_for_their_column(data, make):
    X, y = data
    sampler = make()
    X_res, y_res = sampler.fit_resample(X, y)

    assert list(X_res.columns) == list(X.columns)
    assert list(X_res.dtypes) == list(X.dtypes)
    assert Counter(y_res) == {0: (y == 0).sum(), 1: (y == 0).sum()}
    pd.testing.assert_frame_equal(X_res.iloc[: len(X)], X)
    synthetic = X_res.iloc[len(X) :]
    seen_rows = range_rows(sampler, X, y)
    for column in X.columns:
        seen, made = seen_rows[column], synthetic[column]
        if column.startswith(("bool", "category", "string")):
            assert set(made.unique()) <= set(seen.unique()), column
        elif column.startswith("int"):
            assert made.dtype == X[column].dtype
            assert made.min() >= seen.min() and made.max() <= seen.max()
        else:
            assert np.isfinite(made).all()
    if "category" in "".join(X.columns):
        column = next(c for c in X.columns if c.startswith("category"))
        assert list(X_res[column].cat.categories) == list(X[column].cat.categories)


def test_all_categorical_data(make_sampler):
    rng = np.random.RandomState(0)
    X = pd.DataFrame({c: rng.choice(list("abc"), 80) for c in ["buying", "maint", "safety"]})
    y = np.repeat([0, 1], [70, 10])
    X_res, _ = make_sampler().fit_resample(X, y)
    assert (X_res.dtypes == X.dtypes).all()
    for c in X.columns:
        assert set(X_res[c].iloc[80:]) <= set(X[c][y == 1])


def test_single_numeric_column(make_sampler):
    rng = np.random.RandomState(0)
    X = rng.standard_normal((50, 1))
    y = np.repeat([0, 1], [40, 10])
    X_res, y_res = make_sampler().fit_resample(X, y)
    assert X_res.shape == (80, 1)
    assert np.isfinite(X_res).all()


def test_object_ndarray_with_explicit_categorical_features(make_sampler):
    rng = np.random.RandomState(0)
    X = np.empty((60, 3), dtype=object)
    X[:, 0] = rng.choice(["a", "b"], 60)
    X[:, 1] = rng.standard_normal(60)
    X[:, 2] = rng.choice([10, 20, 30], 60)
    y = np.repeat([0, 1], [45, 15])
    X_res, _ = make_sampler(categorical_features=[0, 2]).fit_resample(X, y)
    assert X_res.dtype == object
    np.testing.assert_array_equal(X_res[:60], X)
    assert set(X_res[60:, 0]) <= set(X[y == 1, 0])
    assert set(X_res[60:, 2]) <= set(X[y == 1, 2])


@pytest.mark.parametrize(
    "spec", [[0], ["card"], np.array([True, False]), "auto"], ids=["index", "name", "mask", "auto"]
)
def test_categorical_features_forms(make_sampler, spec):
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"card": rng.choice(["visa", "mc"], 50), "amount": rng.lognormal(size=50)})
    y = np.repeat([0, 1], [40, 10])
    sampler = make_sampler(categorical_features=spec)
    X_res, _ = sampler.fit_resample(X, y)
    assert sampler.transformers_[1].kinds == ["categorical", "numeric"]
    assert set(X_res["card"]) <= {"visa", "mc"}


@pytest.mark.parametrize(
    "spec, message",
    [
        ([5], "valid indices"),
        (["nope"], "not in X"),
        (np.array([True]), "one flag per column"),
        ("all", "categorical_features"),
    ],
)
def test_bad_categorical_features_are_explained(make_sampler, spec, message):
    X = pd.DataFrame({"card": ["visa", "mc"] * 10, "amount": np.arange(20.0)})
    y = np.repeat([0, 1], [15, 5])
    with pytest.raises(ValueError, match=message):
        make_sampler(categorical_features=spec).fit_resample(X, y)


def test_string_column_not_listed_as_categorical_is_explained(make_sampler):
    X = pd.DataFrame({"card": ["visa", "mc"] * 10, "amount": np.arange(20.0)})
    y = np.repeat([0, 1], [15, 5])
    with pytest.raises(ValueError, match="'card'.*categorical_features"):
        make_sampler(categorical_features=["amount"]).fit_resample(X, y)


@pytest.mark.parametrize("missing", [np.nan, None])
def test_missing_categorical_value_names_the_column(make_sampler, missing):
    X = pd.DataFrame({"card": ["visa", "mc"] * 10, "amount": np.arange(20.0)})
    X.loc[3, "card"] = missing
    y = np.repeat([0, 1], [15, 5])
    with pytest.raises(ValueError, match="'card'.*missing_values='model'.*impute"):
        make_sampler(missing_values="error").fit_resample(X, y)


def _mixed_frame():
    rng = np.random.RandomState(0)
    n = 120
    X = pd.DataFrame(
        {
            "merchant": pd.Categorical(rng.choice(["food", "fuel", "travel"], n)),
            "chip": rng.rand(n) < 0.5,
            "amount": rng.lognormal(size=n),
            "count": rng.randint(0, 9, n),
        }
    )
    y = (X["amount"] + rng.rand(n) > 2.6).astype(int).to_numpy()
    return X, y


@pytest.mark.parametrize("name", ["gan", "vae"])
def test_pipeline_and_grid_search_on_mixed_frame(name):
    X, y = _mixed_frame()
    sampler = tiny_gan() if name == "gan" else tiny_vae()
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), ["merchant", "chip"]),
        (StandardScaler(), ["amount", "count"]),
    )
    pipeline = Pipeline([("sampler", sampler), ("encode", encode), ("clf", LogisticRegression())])
    search = GridSearchCV(
        pipeline,
        {"sampler__learning_rate": [1e-3, 2e-3]},
        cv=StratifiedKFold(n_splits=2, shuffle=True, random_state=0),
        scoring="f1",
        n_jobs=2,
        error_score="raise",
    ).fit(X, y)
    assert search.best_estimator_.predict(X).shape == y.shape


def test_a_column_of_thousands_of_categories_warns(make_sampler):
    rng = np.random.RandomState(0)
    n = 1_200
    X = pd.DataFrame(
        {
            "amount": rng.rand(n),
            "transaction": [f"t{i}" for i in range(n)],  # an identifier
            "merchant": rng.choice([f"m{i}" for i in range(50)], n),
        }
    )
    y = np.repeat([0, 1], [1_100, 100])
    sampler = make_sampler()
    with pytest.warns(UserWarning, match="'transaction' holds 1,200 distinct values") as caught:
        X_res, _ = sampler.fit_resample(X, y)
    assert not any("'merchant'" in str(warning.message) for warning in caught)
    pd.testing.assert_frame_equal(X_res.iloc[:n], X)
