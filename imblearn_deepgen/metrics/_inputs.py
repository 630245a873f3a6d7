"""Input checks shared by the metrics: frames, column kinds, subsampling, one encoding."""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn.utils import check_random_state


class _Prepared(NamedTuple):
    frames: dict  # name -> validated DataFrame (numeric float64, categorical object, NaN missing)
    numeric: list
    categorical: list
    missing: list  # columns with a missing value in at least one sample


def _as_frame(data, name):
    if isinstance(data, pd.DataFrame):
        frame = data
    else:
        array = np.asarray(data)
        if array.ndim != 2:
            raise ValueError(
                f"{name} must be a DataFrame or a 2-D array, got an array with {array.ndim} "
                "dimension(s); reshape it to (n_samples, n_features)"
            )
        frame = pd.DataFrame(array)
        if array.dtype == object:
            frame = frame.infer_objects()
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise ValueError(
            f"{name} is empty (shape {frame.shape}); pass at least one row and one column"
        )
    if frame.columns.has_duplicates:
        duplicated = list(frame.columns[frame.columns.duplicated()])
        raise ValueError(f"{name} has duplicated columns {duplicated!r}; rename them")
    return frame


def _time_kind(series):
    """'datetime' or 'timedelta' for a column of date-times or durations, else None.

    Covers datetime64 (with or without a time zone) and timedelta64 dtypes and
    ``object`` columns of Timestamp or Timedelta values, as the samplers do.
    """
    if pd.api.types.is_datetime64_any_dtype(series):
        return "datetime"
    if pd.api.types.is_timedelta64_dtype(series):
        return "timedelta"
    if series.dtype == object:
        inferred = pd.api.types.infer_dtype(series, skipna=True)
        if inferred in ("datetime", "datetime64"):
            return "datetime"
        if inferred in ("timedelta", "timedelta64"):
            return "timedelta"
    return None


def _seconds(series, kind):
    """Date-times as seconds since 1970 (UTC; naive ones read as UTC), durations as seconds.

    Seconds rather than the dtype's ticks, so that samples stored in different
    units compare alike; NaT becomes NaN.
    """
    if kind == "timedelta":
        elapsed = pd.to_timedelta(series)
    else:
        elapsed = pd.to_datetime(series, utc=True) - pd.Timestamp(0, tz="UTC")
    return (elapsed / pd.Timedelta(seconds=1)).to_numpy(dtype=float, na_value=np.nan)


def _is_categorical_dtype(series):
    if pd.api.types.is_bool_dtype(series):
        return True
    return not pd.api.types.is_numeric_dtype(series) and _time_kind(series) is None


def _typed(column, frames):
    """The frames whose dtype says something about ``column``.

    A column that is entirely missing in a sample often has ``object`` dtype there
    (all None), which would make a numeric column categorical.
    """
    informative = [f for f in frames if f[column].notna().any()]
    return informative or frames


def _resolve_categorical(columns, categorical_features, frames):
    if categorical_features is None:
        return [c for c in columns if any(_is_categorical_dtype(f[c]) for f in _typed(c, frames))]
    if isinstance(categorical_features, (str, bytes, numbers.Number)):
        raise TypeError(
            "categorical_features must be None, a list of column names or positions, or a "
            f"boolean mask, got {categorical_features!r}; wrap a single column in a list"
        )
    mask = np.asarray(categorical_features)
    if mask.dtype == bool:
        if mask.shape != (len(columns),):
            raise ValueError(
                f"categorical_features is a boolean mask of shape {mask.shape} but the data "
                f"has {len(columns)} columns; pass one entry per column"
            )
        return [c for c, is_cat in zip(columns, mask, strict=True) if is_cat]
    selected = []
    for item in categorical_features:
        if item in columns:
            column = item
        elif isinstance(item, numbers.Integral) and -len(columns) <= item < len(columns):
            column = columns[int(item)]
        else:
            raise ValueError(
                f"categorical_features entry {item!r} is neither a column name nor a valid "
                f"column position; use names from {list(columns)!r} or positions "
                f"0..{len(columns) - 1}"
            )
        if column not in selected:
            selected.append(column)
    return [c for c in columns if c in selected]


def _prepare(data, categorical_features=None):
    """Validate and align several samples that must share the same columns.

    ``data`` maps a name (used in error messages) to a DataFrame or 2-D array;
    ``None`` values are skipped. The first DataFrame found defines the column
    labels; arrays are matched by position.
    """
    raw = {name: value for name, value in data.items() if value is not None}
    frames = {name: _as_frame(value, name) for name, value in raw.items()}
    names = list(frames)
    ref_name = next((n for n in names if isinstance(raw[n], pd.DataFrame)), names[0])
    columns = frames[ref_name].columns
    for name in names:
        frame = frames[name]
        if isinstance(raw[name], pd.DataFrame):
            missing = [c for c in columns if c not in frame.columns]
            extra = [c for c in frame.columns if c not in columns]
            if missing or extra:
                parts = [f"{missing!r} missing from {name}"] if missing else []
                parts += [f"{extra!r} missing from {ref_name}"] if extra else []
                first, second = sorted([ref_name, name], key=names.index)
                raise ValueError(
                    f"{first} and {second} have different columns: {' and '.join(parts)}; "
                    "pass the same columns"
                )
            frames[name] = frame[list(columns)]
        elif frame.shape[1] != len(columns):
            raise ValueError(
                f"{ref_name} has {len(columns)} columns but {name} has {frame.shape[1]}; "
                "pass the same columns"
            )
        else:
            frames[name] = frame.set_axis(columns, axis=1)

    categorical = _resolve_categorical(columns, categorical_features, list(frames.values()))
    numeric = [c for c in columns if c not in categorical]
    for name, frame in frames.items():
        converted = {}
        for column in numeric:
            time_kind = _time_kind(frame[column])
            if time_kind is not None:
                converted[column] = _seconds(frame[column], time_kind)
                continue
            try:
                parsed = pd.to_numeric(frame[column])
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    f"column {column!r} of {name} is not numeric; list it in categorical_features"
                ) from exc
            # The mask comes from the input: nullable dtypes hold pd.NA.
            values = np.where(
                frame[column].isna().to_numpy(),
                np.nan,
                parsed.to_numpy(dtype=float, na_value=np.nan),
            )
            if np.isinf(values).any():
                raise ValueError(
                    f"{name} has infinite values in column {column!r}; remove or clip them "
                    "before computing metrics"
                )
            converted[column] = values
        for column in categorical:
            # Plain object dtype everywhere, and one spelling (NaN) for None, pd.NA and NaT,
            # so all frames hash and compare alike.
            values = frame[column].to_numpy(dtype=object)
            converted[column] = pd.Series(np.where(pd.isna(values), np.nan, values), dtype=object)
        frames[name] = pd.DataFrame(converted, columns=columns)
    missing = [c for c in columns if any(f[c].isna().any() for f in frames.values())]
    return _Prepared(frames, numeric, categorical, missing)


def _rng(random_state):
    """The RandomState of one call; ``None`` draws fresh OS entropy, never NumPy's global state."""
    if random_state is None:
        return np.random.RandomState(np.random.default_rng().integers(2**31))
    return check_random_state(random_state)


def _subsample(frame, max_rows, rng):
    """Return at most ``max_rows`` rows of ``frame``, drawn without replacement."""
    if len(frame) <= max_rows:
        return frame
    index = np.sort(rng.choice(len(frame), size=max_rows, replace=False))
    return frame.iloc[index]


def _check_bins(n_bins, binning):
    if binning not in ("quantile", "uniform"):
        raise ValueError(f"binning must be 'quantile' or 'uniform', got {binning!r}")
    if not isinstance(n_bins, numbers.Integral) or n_bins < 1:
        raise ValueError(f"n_bins must be a positive integer, got {n_bins!r}")


def _check_max_rows(max_rows):
    if not isinstance(max_rows, numbers.Integral) or max_rows < 2:
        raise ValueError(f"max_rows must be an integer >= 2, got {max_rows!r}")


class _TabularEncoder:
    """Standardise numeric columns and one-hot encode categorical columns.

    The means, standard deviations, medians and category lists are learned by
    ``fit`` from the present values; categories unseen during ``fit`` are encoded
    as all-zero rows. Missing values never reach the distances as NaN: every
    column in ``missing`` gets a 0/1 missing indicator (numeric columns, whose
    missing values are imputed by the fitted median) or a category of its own
    (categorical columns).
    """

    def __init__(self, numeric, categorical, missing=()):
        self.numeric = list(numeric)
        self.categorical = list(categorical)
        self.missing = list(missing)

    def fit(self, frame):
        values = frame[self.numeric]
        # pandas skips NaN and gives NaN (not a warning) for an all-missing column
        self.mean_ = values.mean().fillna(0.0).to_numpy()
        scale = values.std(ddof=0).fillna(0.0).to_numpy()
        self.scale_ = np.where(scale > 0, scale, 1.0)
        self.median_ = values.median().fillna(0.0).to_numpy()
        self.indicated_ = [i for i, c in enumerate(self.numeric) if c in self.missing]
        self.categories_ = []
        for column in self.categorical:
            categories = pd.Index(pd.unique(frame[column]))
            if column in self.missing and not categories.hasnans:
                # missing values met only in the other samples still get their category
                categories = categories.append(pd.Index([np.nan], dtype=object))
            self.categories_.append(categories)
        return self

    def transform(self, frame):
        values = frame[self.numeric].to_numpy(dtype=float)
        absent = np.isnan(values)
        values = np.where(absent, self.median_, values)
        parts = [(values - self.mean_) / self.scale_, absent[:, self.indicated_].astype(float)]
        rows = np.arange(len(frame))
        for column, categories in zip(self.categorical, self.categories_, strict=True):
            codes = categories.get_indexer(frame[column])
            onehot = np.zeros((len(frame), len(categories)))
            seen = codes >= 0
            onehot[rows[seen], codes[seen]] = 1.0
            parts.append(onehot)
        return np.hstack(parts)
