"""The user's X as validated columns, and the way back to the user's container.

:class:`ColumnTable` checks X once (missing values, column kinds, sparse input),
keeps one 1-D array per column for the per-class transformers, and knows how to
build an output of the same container type, column names and dtypes.
"""

import mmap
import numbers
import warnings
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.utils.validation import check_array

_IMPUTE_HINT = (
    "impute first, e.g. put sklearn.impute.SimpleImputer before the sampler in an "
    "imblearn Pipeline"
)


# A categorical column of more distinct values than this warns. Each category
# is one input and one output of the networks, so fit time and memory grow with
# rows times categories; a column of thousands is most often an identifier,
# whose values, each seen once, give the model nothing to learn.
MANY_CATEGORIES = 1_000


def _is_text_or_bool(inferred):
    return inferred in ("string", "boolean", "categorical")


def _column_label(name, position, is_frame):
    return f"{name!r}" if is_frame else f"{position}"


class ColumnTable:
    """Validated columns of X plus what is needed to rebuild X's container.

    Attributes
    ----------
    columns : list of ndarray
        One 1-D array per column: float64 for numeric columns, the column's own
        integer dtype for integer columns, the raw values for categorical ones.
    kinds : list of {"numeric", "integer", "categorical"}
    data : DataFrame or ndarray
        X as given (DataFrame) or as a 2-D ndarray; its rows are returned as is.
    markers : dict of {int: object}
        For each column with missing values, the missing value it holds (the
        first one seen: None, NaN, pd.NA or NaT), which its generated missing
        cells hold too. Missing cells are NaN in numeric ``columns`` and this
        marker in categorical ones.
    times : dict of {int: TimeColumn}
        The datetime and timedelta columns, held in ``columns`` as integer ticks.
    """

    def __init__(self, data, columns, kinds, markers, times):
        self.data = data
        self.columns = columns
        self.kinds = kinds
        self.markers = markers
        self.times = times

    @property
    def is_frame(self):
        return isinstance(self.data, pd.DataFrame)

    @property
    def n_rows(self):
        return self.data.shape[0]

    @classmethod
    def from_input(cls, X, categorical_features="auto", missing_values="model"):
        """Validate X and split it into typed columns.

        ``missing_values='error'`` refuses missing values instead of keeping them.

        Raises
        ------
        TypeError
            Sparse input, or a column dtype no network can model (e.g. complex).
        ValueError
            Empty X, duplicate column names, infinite values, missing values with
            ``missing_values='error'``, values of different kinds in one column,
            date-times in several time zones, or a malformed ``categorical_features``.
        """
        if sparse.issparse(X) or (
            isinstance(X, pd.DataFrame) and any(isinstance(d, pd.SparseDtype) for d in X.dtypes)
        ):
            raise TypeError(
                "Sparse X is not supported: the networks need dense rows. Densify it first "
                "(X.toarray(), or DataFrame.sparse.to_dense()), or use a sampler that accepts "
                "sparse input such as imblearn's RandomOverSampler."
            )
        if not isinstance(X, pd.DataFrame):
            X = check_array(
                X, dtype=None, ensure_all_finite=False, ensure_min_samples=1, ensure_min_features=1
            )
        if X.shape[0] == 0 or X.shape[1] == 0:
            raise ValueError(
                f"X has shape {X.shape}; the sampler needs at least one row and one column."
            )
        is_frame = isinstance(X, pd.DataFrame)
        if is_frame and X.columns.has_duplicates:
            repeated = X.columns[X.columns.duplicated()].unique().tolist()
            raise ValueError(
                f"X has duplicate column names {repeated}; the output must keep each column "
                "apart, so give every column a unique name first."
            )
        names = list(X.columns) if is_frame else list(range(X.shape[1]))
        categorical = _resolve_categorical(categorical_features, names, is_frame)
        columns, kinds, markers, times = [], [], {}, {}
        for position, name in enumerate(names):
            raw = X.iloc[:, position] if is_frame else X[:, position]
            label = _column_label(name, position, is_frame)
            kind, values, marker, time = _typed_column(
                raw, label, categorical.get(position), missing_values
            )
            if kind == "categorical":
                _warn_if_many_categories(values, label)
            columns.append(values)
            kinds.append(kind)
            if marker:
                markers[position] = marker[0]
            if time is not None:
                times[position] = time
        return cls(X, columns, kinds, markers, times)

    def empty(self):
        """A zero-row copy: the container template kept by a fitted sampler."""
        return ColumnTable(
            self.data[:0],
            [column[:0] for column in self.columns],
            self.kinds,
            self.markers,
            self.times,
        )

    def rows(self, mask):
        """The columns restricted to the rows selected by a boolean mask."""
        return [column[mask] for column in self.columns]

    def new_buffer(self, n_rows, *, after_originals=False):
        """A preallocated output of ``n_rows`` rows in this table's container.

        With ``after_originals`` the output starts with this table's rows,
        unchanged, and row 0 of :meth:`OutputBuffer.write` comes after them:
        the resampled X is built in place, without a concatenated copy.
        """
        return OutputBuffer(self, n_rows, after_originals=after_originals)


def _resolve_categorical(categorical_features, names, is_frame):
    """Map ``categorical_features`` to {position: True/False}; absent means auto."""
    n_features = len(names)
    if isinstance(categorical_features, str):  # "auto": decided per column from its dtype
        return {}
    spec = np.asarray(categorical_features)
    if spec.ndim != 1:
        raise ValueError("categorical_features must be 'auto' or a 1-D list of columns.")
    if spec.dtype == bool:
        if spec.size != n_features:
            raise ValueError(
                f"categorical_features is a boolean mask of length {spec.size}, but X has "
                f"{n_features} columns; pass one flag per column."
            )
        positions = np.flatnonzero(spec)
    elif spec.size == 0:
        positions = np.array([], dtype=int)
    elif all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in spec.tolist()):
        positions = spec.astype(int)
        bad = [p for p in positions.tolist() if not -n_features <= p < n_features]
        if bad:
            raise ValueError(
                f"categorical_features names column indices {bad} but X has {n_features} "
                f"columns (valid indices 0..{n_features - 1})."
            )
        positions = positions % n_features
    else:
        if not is_frame:
            raise ValueError(
                "categorical_features lists column names, which needs X as a pandas DataFrame; "
                "pass column indices for an array."
            )
        unknown = [v for v in spec.tolist() if v not in names]
        if unknown:
            raise ValueError(
                f"categorical_features names columns {unknown} that are not in X; "
                f"X has columns {names}."
            )
        positions = np.array([names.index(v) for v in spec.tolist()])
    listed = set(positions.tolist())
    return {position: position in listed for position in range(n_features)}


class TimeColumn(NamedTuple):
    """A datetime or timedelta column, held as integer ticks of ``unit``."""

    unit: str
    tz: object  # a datetime column's time zone, or None
    is_duration: bool  # timedelta rather than datetime
    boxed: bool  # an object column of Timestamp or Timedelta values


def _typed_column(raw, label, is_categorical, missing_values):
    """Return (kind, values, marker, time) for one column; ``is_categorical`` None means auto.

    ``marker`` is a tuple: empty for a column without missing values, else the
    column's own missing value (the first one seen). ``time`` is a
    :class:`TimeColumn` or None. Missing cells become NaN in numeric values and
    the marker in categorical ones.
    """
    dtype = raw.dtype
    missing = np.asarray(pd.isna(raw), dtype=bool)
    marker = ()
    if missing.any():
        if missing_values == "error":
            if missing.all():
                raise ValueError(
                    f"Column {label} holds only missing values; drop it, or pass "
                    "missing_values='model' to generate it missing."
                )
            raise ValueError(
                f"X contains missing values (NaN/None) in column {label}; pass "
                f"missing_values='model' to generate them, or {_IMPUTE_HINT}."
            )
        marker = (_array(raw, object)[np.argmax(missing)],)
    if is_categorical or isinstance(dtype, pd.CategoricalDtype):
        return "categorical", _with_marker(raw, missing, marker), marker, None
    if pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype):
        times = pd.array(raw)
        return "integer", _time_values(times, missing), marker, _time_column(times, boxed=False)
    if pd.api.types.is_bool_dtype(dtype):
        values = _with_marker(raw, missing, marker) if missing.any() else _array(raw, bool)
        inferred = "boolean"
    elif pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype):
        if missing.any():
            values = _array(raw, object)
            values[missing] = np.nan
            values = values.astype(np.float64)
        else:
            values = _array(raw)
        inferred = "integer" if pd.api.types.is_integer_dtype(dtype) else "floating"
        if inferred == "integer" and missing.any():
            return "integer", values, marker, None
    elif pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
        values = _with_marker(raw, missing, marker)
        inferred = pd.api.types.infer_dtype(values[~missing], skipna=False)
        if inferred in ("datetime", "datetime64", "timedelta", "timedelta64"):
            times = _boxed_times(values, missing, label, inferred.startswith("timedelta"))
            return "integer", _time_values(times, missing), marker, _time_column(times, True)
    else:
        raise TypeError(
            f"Column {label} has dtype {dtype}, which the sampler cannot model; convert it to "
            "real numbers, date-times or categories first."
        )
    if _is_text_or_bool(inferred) or inferred == "empty":
        if is_categorical is False and inferred != "boolean":
            raise ValueError(
                f"Column {label} holds strings/categories but is not listed in "
                "categorical_features; add it to categorical_features or encode it as numbers."
            )
        if is_categorical is None:
            return "categorical", values, marker, None
        if missing.any():
            return "integer", _numbers(values, missing), marker, None
        return "integer", values.astype(bool), marker, None
    if inferred not in ("integer", "floating", "mixed-integer-float", "decimal"):
        raise ValueError(
            f"Column {label} mixes values of different kinds ({_examples(values[~missing])}); "
            "list it in categorical_features to treat every value as a category, or convert "
            "it to one kind."
        )
    if inferred == "integer" and values.dtype.kind in "iu":
        return "integer", values, marker, None
    values = _numbers(values, missing)
    if np.isinf(values).any():
        raise ValueError(
            f"X contains infinity in column {label}; replace or clip infinite values first."
        )
    # pandas stores an integer column with missing values as floats: whole
    # numbers with missing values are such a column, and are generated whole.
    present = values[~missing]
    if marker and np.array_equal(present, np.round(present)):
        return "integer", values, marker, None
    return "numeric", values, marker, None


def _warn_if_many_categories(values, label):
    n_categories = len(pd.unique(values))
    if n_categories > MANY_CATEGORIES:
        warnings.warn(
            f"Column {label} holds {n_categories:,} distinct values, each a category of its "
            "own: the networks get one input and one output per category, so fitting and "
            "sampling slow down and need memory in proportion. Drop the column if it is an "
            "identifier; otherwise group its rare values into one category.",
            UserWarning,
            stacklevel=2,
        )


def _array(raw, dtype=None):
    """A column's values as a numpy array.

    ``Series.to_numpy`` rather than ``np.asarray``: the latter marks the
    buffer of a pandas extension array read-only, a change to the user's X.
    """
    return raw.to_numpy(dtype=dtype) if isinstance(raw, pd.Series) else np.asarray(raw, dtype)


def _with_marker(raw, missing, marker):
    """The column's values as objects, every missing cell holding the one ``marker``.

    None, NaN and pd.NA are one missing category, not three.
    """
    values = _array(raw, object)
    if marker:
        values = values.copy()
        values[missing] = marker[0]
    return values


def _numbers(values, missing):
    """Float64 values with NaN in the missing cells."""
    values = np.array(values, dtype=object if missing.any() else None, copy=True)
    values[missing] = np.nan
    return values.astype(np.float64)


def _examples(values):
    """A few present values of different Python types, for an error message."""
    by_type = {}
    for value in values:
        by_type.setdefault(type(value).__name__, value)
        if len(by_type) == 3:
            break
    return ", ".join(f"{value!r} ({name})" for name, value in by_type.items())


def _boxed_times(values, missing, label, is_duration):
    """An object column of Timestamp or Timedelta values as a pandas array."""
    present = values[~missing]
    try:
        times = pd.to_timedelta(present) if is_duration else pd.to_datetime(present)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"Column {label} holds date-times that cannot be one column ({exc}); convert "
            "them to one time zone first, e.g. with pandas.to_datetime(..., utc=True)."
        ) from exc
    full = pd.array(np.full(len(values), np.datetime64("NaT"), dtype=f"M8[{times.unit}]"))
    if is_duration:
        full = pd.array(np.full(len(values), np.timedelta64("NaT"), dtype=f"m8[{times.unit}]"))
    if getattr(times, "tz", None) is not None:
        full = full.tz_localize(times.tz)
    full[~missing] = times.array
    return full


def _time_column(times, boxed):
    is_duration = times.dtype.kind == "m"
    return TimeColumn(times.unit, getattr(times, "tz", None), is_duration, boxed)


def _time_values(times, missing):
    """Integer ticks of a datetime or timedelta array: int64, or float64 with NaN if missing."""
    ticks = np.asarray(times.asi8)
    if not missing.any():
        return ticks
    values = ticks.astype(np.float64)
    values[missing] = np.nan
    return values


class OutputBuffer:
    """Preallocated synthetic rows, filled chunk by chunk, in the table's container.

    Holds the output plus nothing else: a category column is stored as codes and
    becomes a ``pandas.Categorical`` only when the result is built; a
    datetime column is stored as ticks.
    """

    def __init__(self, table, n_rows, *, after_originals=False):
        self.table = table
        self.offset = table.n_rows if after_originals else 0
        size = self.offset + n_rows
        if table.is_frame:
            store_dtypes = [
                _store_dtype(dtype, j, table) for j, dtype in enumerate(table.data.dtypes)
            ]
            self._stores, blocks = _column_stores(store_dtypes, size)
            # A frame whose columns all hold one numpy dtype as they are becomes
            # one block: pandas then never copies its columns into one, as it
            # does when a frame of separate columns is rebuilt (imbalanced-learn
            # rebuilds the output of fit_resample).
            frame_dtypes = list(table.data.dtypes)
            self._block = None
            numeric = all(dtype.kind in "biufc" for dtype in store_dtypes)
            if len(blocks) == 1 and numeric and frame_dtypes == store_dtypes:
                self._block = next(iter(blocks.values()))
        else:
            self._array = _mapped_empty((size, len(table.columns)), table.data.dtype)
        if after_originals:
            self._write_originals()

    def _write_originals(self):
        if not self.table.is_frame:
            self._array[: self.offset] = self.table.data
            return
        for j, (store, (_, column)) in enumerate(
            zip(self._stores, self.table.data.items(), strict=True)
        ):
            if isinstance(column.dtype, pd.CategoricalDtype):
                store[: self.offset] = column.cat.codes.to_numpy()
            elif j in self.table.times and store.dtype != object:
                store[: self.offset] = column.array.asi8
            elif store.dtype.kind == "f":
                store[: self.offset] = column.to_numpy(dtype=store.dtype, na_value=np.nan)
            else:
                store[: self.offset] = column.to_numpy(dtype=store.dtype)

    def write(self, start, columns, rows):
        """Write ``column[rows]`` of each decoded column at synthetic rows ``start`` on."""
        start += self.offset
        stop = start + len(rows)
        if not self.table.is_frame:
            for j, values in enumerate(columns):
                self._array[start:stop, j] = self._cells(j, values, rows, self._array.dtype)
            return
        for j, (store, dtype, values) in enumerate(
            zip(self._stores, self.table.data.dtypes, columns, strict=True)
        ):
            if isinstance(dtype, pd.CategoricalDtype):
                store[start:stop] = dtype.categories.get_indexer(values[rows])
            elif values.dtype == store.dtype:
                # Gathered straight into the output; 'clip' skips a buffered bounds check.
                np.take(values, rows, out=store[start:stop], mode="clip")
            else:
                store[start:stop] = self._cells(j, values, rows, store.dtype)

    def _cells(self, j, values, rows, store_dtype):
        """Decoded values of column ``j`` at ``rows``, as a store of ``store_dtype`` holds them."""
        cells = values[rows]
        time = self.table.times.get(j)
        if time is None and (store_dtype.kind != "O" or j not in self.table.markers):
            return cells  # numbers as they are; NaN is already the missing value
        missing = np.isnan(cells) if cells.dtype.kind == "f" else None
        if time is not None:
            cells = (cells if missing is None else np.where(missing, _NAT_TICKS, cells)).astype(
                np.int64
            )
            if store_dtype.kind in "OmM":
                cells = _time_objects(cells, time, boxed=store_dtype.kind == "O")
        if store_dtype.kind == "O" and missing is not None and missing.any():
            cells = cells.astype(object)
            cells[missing] = self.table.markers[j]
        return cells

    def result(self):
        """The filled buffer as an ndarray or a DataFrame with the original dtypes."""
        if not self.table.is_frame:
            return self._array
        frame = self.table.data
        if self._block is not None:
            return pd.DataFrame(self._block.T, columns=frame.columns, copy=False)
        series = {}
        for position, (store, dtype) in enumerate(zip(self._stores, frame.dtypes, strict=True)):
            if isinstance(dtype, pd.CategoricalDtype):
                series[position] = pd.Categorical.from_codes(store, dtype=dtype)
            elif position in self.table.times and store.dtype != object:
                time = self.table.times[position]
                series[position] = _time_objects(store, time, boxed=False)
                if time.tz is not None:
                    series[position] = pd.array(series[position]).tz_localize("UTC")
                    series[position] = series[position].tz_convert(time.tz)
            elif not isinstance(dtype, np.dtype):
                # Extension dtypes (str, string, Int64, boolean) from their numpy store.
                series[position] = pd.array(store, dtype=dtype)
            elif dtype.kind == "O":
                # As objects: a plain array of strings would be inferred as the
                # str dtype, with None turned into NaN.
                series[position] = pd.Series(store, dtype=object, copy=False)
            else:
                series[position] = store
        out = pd.DataFrame(series, copy=False)
        out.columns = frame.columns
        return out


# The integer ticks of a missing date-time (NaT).
_NAT_TICKS = np.iinfo(np.int64).min


def _time_objects(ticks, time, *, boxed):
    """Integer ticks as datetime64/timedelta64 values, or as Timestamp objects if ``boxed``."""
    letter = "m" if time.is_duration else "M"
    values = ticks.view(f"{letter}8[{time.unit}]")
    if not boxed:
        return values
    values = pd.array(values)
    if time.tz is not None:
        values = values.tz_localize("UTC").tz_convert(time.tz)
    return np.asarray(values, dtype=object)


def _column_stores(store_dtypes, n_rows):
    """One 1-D store per column, as rows of one 2-D block per store dtype.

    A few large allocations instead of one per column: the kernel maps fresh
    memory for them far faster, which matters for millions of rows. Returns
    the stores and the blocks, by store dtype.
    """
    stores, blocks = [None] * len(store_dtypes), {}
    for store_dtype in set(store_dtypes):
        positions = [j for j, d in enumerate(store_dtypes) if d == store_dtype]
        blocks[store_dtype] = _mapped_empty((len(positions), n_rows), store_dtype)
        for row, j in enumerate(positions):
            stores[j] = blocks[store_dtype][row]
    return stores, blocks


# Outputs from this size on are mapped in one call with their pages populated:
# on first write, a page fault per 4 KiB page would otherwise cost more than
# generating the rows (measured in ``python -m benchmarks.speed --parts sample``).
_POPULATE_BYTES = 64 * 2**20


def _mapped_empty(shape, dtype):
    """An uninitialised array; large ones get their memory mapped up front (Linux)."""
    dtype = np.dtype(dtype)
    n_bytes = int(np.prod(shape)) * dtype.itemsize
    if n_bytes < _POPULATE_BYTES or dtype.hasobject or not hasattr(mmap, "MAP_POPULATE"):
        return np.empty(shape, dtype=dtype)
    flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | mmap.MAP_POPULATE
    return np.frombuffer(mmap.mmap(-1, n_bytes, flags=flags), dtype=dtype).reshape(shape)


def _store_dtype(dtype, position, table):
    """The numpy dtype that holds column ``position`` of ``table`` until the result is built."""
    if isinstance(dtype, pd.CategoricalDtype):
        return np.dtype(np.intp)
    time = table.times.get(position)
    if time is not None:
        # Time-zone aware columns are held as UTC ticks; boxed ones as objects.
        return np.dtype(object) if time.boxed else np.dtype(np.int64)
    if isinstance(dtype, np.dtype):
        return dtype
    # Extension dtypes (nullable Int64, boolean, string) are filled as numpy
    # first; with missing values, numbers as float64 with NaN, others as objects.
    if position in table.markers:
        numeric = table.kinds[position] != "categorical"
        return np.dtype(np.float64 if numeric else object)
    return np.dtype(getattr(dtype, "numpy_dtype", object))
