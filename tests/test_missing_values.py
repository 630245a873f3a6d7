"""Missing values and date-times: modelled, generated, and returned as the user gave them."""

import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imblearn_deepgen import GANOverSampler, VAEOverSampler
from imblearn_deepgen._columns import ColumnTable
from imblearn_deepgen._filters import RowFilter, _linear_scorer
from imblearn_deepgen._losses import vae_loss
from imblearn_deepgen._networks import soft_output
from imblearn_deepgen._transformer import TabularTransformer

from .conftest import TINY_SAMPLERS, range_rows

FAST = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
KINDS = ("float", "int", "bool", "text", "category", "datetime", "timedelta", "stamps")


def _column(kind, rng, n):
    """One column of ``kind`` with a few missing cells (in the column's own missing value)."""
    missing = rng.rand(n) < 0.25
    if kind == "float":
        return pd.Series(np.where(missing, np.nan, rng.standard_normal(n)))
    if kind == "int":
        values = pd.array(rng.randint(-5, 5, n), dtype="Int64")
        values[missing] = pd.NA
        return pd.Series(values)
    if kind == "bool":
        values = pd.array(rng.rand(n) < 0.5, dtype="boolean")
        values[missing] = pd.NA
        return pd.Series(values)
    if kind == "text":
        values = rng.choice(["visa", "mc", "amex"], n).astype(object)
        values[missing] = None
        return pd.Series(values, dtype=object)
    if kind == "category":
        return pd.Series(pd.Categorical(np.where(missing, None, rng.choice(["a", "b"], n))))
    if kind == "datetime":
        start = pd.Timestamp("2024-03-01", tz="Europe/Paris")
        values = start + pd.to_timedelta(rng.randint(0, 10**6, n), unit="s")
        return pd.Series(values).mask(missing)
    if kind == "timedelta":
        return pd.Series(pd.to_timedelta(rng.randint(0, 10**4, n), unit="s")).mask(missing)
    days = rng.randint(0, 300, n)
    stamps = [pd.Timestamp("2023-01-01") + pd.Timedelta(days=int(d)) for d in days]
    values = np.array(stamps, dtype=object)
    values[missing] = None
    return pd.Series(values, dtype=object)


@st.composite
def frames(draw):
    """Frames with missing cells in every column kind, plus fully missing columns."""
    counts = [draw(st.integers(10, 30)), draw(st.integers(4, 9))]
    rng = np.random.RandomState(draw(st.integers(0, 2**16)))
    n = sum(counts)
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=5))
    X = pd.DataFrame({f"{kind}{j}": _column(kind, rng, n) for j, kind in enumerate(kinds)})
    if draw(st.booleans()):
        X["empty"] = np.nan
    y = np.repeat([0, 1], counts)
    return X, y


def _fingerprint(X):
    """A hash of every cell as a Python object (None and NaN apart), and of the dtypes.

    Not ``joblib.hash(X)``: pandas caches attributes on shared extension dtype
    objects (Int64, boolean) whenever any code inspects them, which changes
    their pickle but not the data.
    """
    cells = [X[column].to_numpy(dtype=object).tolist() for column in X]
    return joblib.hash([cells, [str(dtype) for dtype in X.dtypes], list(X.columns), X.index])


def _synthetic_of_class(X_res, y_res, n_real, label):
    synthetic, labels = X_res.iloc[n_real:], np.asarray(y_res)[n_real:]
    return synthetic[labels == label]


@given(data=frames(), make=st.sampled_from(TINY_SAMPLERS), conditional=st.booleans())
@FAST
def test_originals_dtypes_and_missing_shares(data, make, conditional):
    X, y = data
    before = _fingerprint(X)
    sampler = make(conditional=conditional, random_state=3)
    X_res, y_res = sampler.fit_resample(X, y)
    assert _fingerprint(X) == before
    assert list(X_res.dtypes) == list(X.dtypes)
    # Original rows come back bit for bit, missing cells in the same places.
    pd.testing.assert_frame_equal(X_res.iloc[: len(X)], X)
    assert X_res.iloc[: len(X)].isna().equals(X.isna())
    # A column without missing values in the class's rows never gets one, and
    # a column missing in all of them is always missing.
    real = X[y == 1].isna().mean()
    synthetic = _synthetic_of_class(X_res, y_res, len(X), 1).isna().mean()
    assert (synthetic[real == 0] == 0).all()
    assert (synthetic[real == 1] == 1).all()
    again = make(conditional=conditional, random_state=3).fit_resample(X, y)[0]
    pd.testing.assert_frame_equal(X_res, again)


def test_synthetic_missing_shares_track_the_class(make_sampler):
    rng = np.random.RandomState(0)
    n = 600
    y = (rng.rand(n) < 0.2).astype(int)
    amount = rng.lognormal(size=n) + y
    X = pd.DataFrame(
        {
            # Missing far more often in the minority class: a signal to keep.
            "income": np.where(rng.rand(n) < np.where(y == 1, 0.4, 0.05), np.nan, amount),
            "age": rng.normal(40, 10, n),
            "card": np.where(rng.rand(n) < 0.3, None, rng.choice(["visa", "mc"], n)),
        }
    )
    # Without filters: they keep rows that look like the class, which shifts the
    # share of a missing value that marks the class (measured in the benchmark).
    sampler = make_sampler(max_iter=300, filters=None, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    synthetic = _synthetic_of_class(X_res, y_res, n, 1)
    real = X[y == 1].isna().mean()
    gaps = (synthetic.isna().mean() - real).abs()
    assert gaps["age"] == 0
    assert gaps.mean() < 0.05, gaps
    # The sampled rows of sample() follow the same rule.
    drawn = sampler.sample(5_000, class_label=1)
    assert drawn["age"].notna().all()
    assert abs(drawn["income"].isna().mean() - real["income"]) < 0.1


def test_sample_and_pickle_keep_missing_values(make_sampler):
    rng = np.random.RandomState(1)
    X = pd.DataFrame(
        {
            "amount": np.where(rng.rand(80) < 0.3, np.nan, rng.rand(80)),
            "n": pd.array(np.where(rng.rand(80) < 0.3, None, rng.randint(0, 4, 80)), "Int64"),
            "when": pd.Series(pd.date_range("2024-01-01", periods=80, freq="h", tz="UTC")),
        }
    )
    y = np.repeat([0, 1], [60, 20])
    sampler = make_sampler(random_state=0)
    sampler.fit_resample(X, y)
    restored = pickle.loads(pickle.dumps(sampler))
    drawn = restored.sample(300, class_label=1)
    assert list(drawn.dtypes) == list(X.dtypes)
    assert drawn["when"].dt.tz is not None
    pd.testing.assert_frame_equal(drawn, pickle.loads(pickle.dumps(sampler)).sample(300))


def test_datetimes_stay_within_the_training_range(make_sampler):
    n = 120
    y = np.repeat([0, 1], [90, 30])
    when = pd.Series(pd.date_range("2024-01-01", periods=n, freq="D", tz="America/New_York"))
    X = pd.DataFrame(
        {
            "when": when,
            "wait": pd.to_timedelta(np.arange(n), unit="min"),
            "stamp": pd.Series(list(when.dt.tz_localize(None)), dtype=object),
        }
    )
    sampler = make_sampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    synthetic = _synthetic_of_class(X_res, y_res, n, 1)
    assert X_res.dtypes.equals(X.dtypes)
    assert str(X_res["when"].dt.tz) == "America/New_York"
    seen = range_rows(sampler, X, y)
    for column in ("when", "wait"):
        assert synthetic[column].between(seen[column].min(), seen[column].max()).all()
    assert all(isinstance(value, pd.Timestamp) for value in synthetic["stamp"])


# -- how the models see a missing value ----------------------------------------------


def _encoded_with_missing():
    columns = [np.array([1.0, np.nan, 3.0, np.nan]), np.array(["a", None, "a", "b"], dtype=object)]
    table = ColumnTable.from_input(pd.DataFrame({"x": columns[0], "c": columns[1]}))
    transformer = TabularTransformer(table.kinds).fit(table.columns)
    return transformer, transformer.transform(table.columns)


def test_missing_numeric_value_is_masked_and_indicated():
    transformer, encoded = _encoded_with_missing()
    spans = transformer.output_spans_
    assert spans.masked_numeric == (0,)
    # The category block holds the missing value as a category of its own.
    assert spans.category_sizes == (3, 2)
    assert list(encoded[:, 0][[1, 3]]) == [0.0, 0.0]
    present = list(spans.present_columns)
    assert encoded[:, present].ravel().tolist() == [1.0, 0.0, 1.0, 0.0]


def test_vae_loss_ignores_the_value_of_a_missing_cell():
    transformer, encoded = _encoded_with_missing()
    spans = transformer.output_spans_
    target = torch.from_numpy(encoded)
    raw = torch.zeros_like(target, requires_grad=True)
    mean = log_var = torch.zeros(len(target), 2)
    loss, _, _ = vae_loss(raw, target, spans, mean, log_var, kl_weight=1.0)
    loss.backward()
    assert raw.grad[[1, 3], 0].abs().sum() == 0
    assert raw.grad[[0, 2], 0].abs().sum() > 0


def test_gan_output_masks_a_value_by_its_present_probability():
    transformer, _ = _encoded_with_missing()
    spans = transformer.output_spans_
    raw = torch.randn(64, spans.width, generator=torch.Generator().manual_seed(0))
    out = soft_output(raw, spans, tau=0.2, generator=torch.Generator().manual_seed(1))
    present = out[:, list(spans.present_columns)[0]]
    torch.testing.assert_close(out[:, 0], raw[:, 0] * present)


def test_filters_score_a_missing_value_as_its_encoding_does():
    rng = np.random.RandomState(0)
    X = pd.DataFrame(
        {
            "x": np.where(rng.rand(60) < 0.3, np.nan, rng.standard_normal(60)),
            "c": np.where(rng.rand(60) < 0.2, None, rng.choice(["a", "b"], 60)),
        }
    )
    y = np.repeat([0, 1], [40, 20])
    table = ColumnTable.from_input(X)
    scorers = RowFilter(("linear",)).fit(table, y, [1]).scorers_[1]
    # The scorer as fitted, applied to the encoding (mean + indicator where missing).
    encoding = TabularTransformer(table.kinds, "standard").fit(table.columns)
    encoded = torch.from_numpy(encoding.transform(table.columns))
    network, _ = _linear_scorer(encoded, y == 1)
    with torch.no_grad():
        expected = network(encoded)[:, 0]
    direct = scorers.scores(table.columns)[0]
    assert encoding.output_spans_.masked_numeric == (0,)
    torch.testing.assert_close(direct, expected, atol=1e-4, rtol=1e-4)


# -- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [GANOverSampler, VAEOverSampler], ids=["gan", "vae"])
def test_error_mode_names_a_fully_missing_column(cls):
    X = pd.DataFrame({"a": np.arange(20.0), "gone": np.nan})
    y = np.repeat([0, 1], [15, 5])
    with pytest.raises(ValueError, match="'gone' holds only missing values.*missing_values"):
        cls(missing_values="error").fit_resample(X, y)


def test_mixed_time_zones_are_refused(make_sampler):
    stamps = [pd.Timestamp("2024-01-01", tz="UTC"), pd.Timestamp("2024-01-02", tz="Asia/Tokyo")]
    X = pd.DataFrame({"when": pd.Series(stamps * 10, dtype=object), "v": np.arange(20.0)})
    y = np.repeat([0, 1], [15, 5])
    with pytest.raises(ValueError, match="'when'.*one time zone"):
        make_sampler().fit_resample(X, y)


def test_infinity_is_refused_even_when_missing_values_are_modelled(make_sampler):
    X = pd.DataFrame({"a": [1.0, np.nan, np.inf] + [0.5] * 17})
    y = np.repeat([0, 1], [15, 5])
    with pytest.raises(ValueError, match="infinity in column 'a'"):
        make_sampler().fit_resample(X, y)


def test_unknown_missing_values_option_is_refused(make_sampler):
    X = pd.DataFrame({"a": np.arange(20.0)})
    y = np.repeat([0, 1], [15, 5])
    with pytest.raises(ValueError, match="missing_values"):
        make_sampler(missing_values="impute").fit_resample(X, y)


def test_complex_numbers_are_refused_not_truncated(make_sampler):
    X = pd.DataFrame({"a": np.arange(20.0), "z": np.arange(20.0) + 1j})
    y = np.repeat([0, 1], [15, 5])
    with pytest.raises(TypeError, match="'z' has dtype complex128.*real numbers"):
        make_sampler().fit_resample(X, y)


def test_whole_numbers_with_missing_values_are_generated_whole(make_sampler):
    # pandas stores an integer column with missing values as float64.
    rng = np.random.RandomState(0)
    X = pd.DataFrame(
        {
            "visits": np.where(rng.rand(60) < 0.3, np.nan, rng.randint(0, 5, 60)),
            "amount": np.where(rng.rand(60) < 0.3, np.nan, rng.rand(60)),
        }
    )
    y = np.repeat([0, 1], [45, 15])
    X_res, _ = make_sampler(random_state=0).fit_resample(X, y)
    visits = X_res["visits"].iloc[60:].dropna()
    assert X_res["visits"].dtype == np.float64
    assert (visits == np.round(visits)).all()
    assert not (
        X_res["amount"].iloc[60:].dropna() == np.round(X_res["amount"].iloc[60:].dropna())
    ).all()
