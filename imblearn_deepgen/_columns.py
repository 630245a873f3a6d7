"""The user's X as validated columns, and the way back to the user's container.

:class:`ColumnTable` checks X once (missing values, column kinds, sparse input),
keeps one 1-D array per column for the per-class transformers, and knows how to
build an output of the same container type, column names and dtypes.
"""

import mmap
import numbers

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.utils.validation import check_array

_IMPUTE_HINT = (
    "impute first, e.g. put sklearn.impute.SimpleImputer before the sampler in an "
    "imblearn Pipeline"
)


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
    """

    def __init__(self, data, columns, kinds):
        self.data = data
        self.columns = columns
        self.kinds = kinds

    @property
    def is_frame(self):
        return isinstance(self.data, pd.DataFrame)

    @property
    def n_rows(self):
        return self.data.shape[0]

    @classmethod
    def from_input(cls, X, categorical_features="auto"):
        """Validate X and split it into typed columns.

        Raises
        ------
        TypeError
            Sparse input, or a column dtype no network can model (e.g. datetime).
        ValueError
            Empty X, duplicate column names, missing or infinite values, strings
            in a column that is not categorical, or a malformed
            ``categorical_features``.
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
        columns, kinds = [], []
        for position, name in enumerate(names):
            raw = X.iloc[:, position] if is_frame else X[:, position]
            label = _column_label(name, position, is_frame)
            kind, values = _typed_column(raw, label, categorical.get(position))
            columns.append(values)
            kinds.append(kind)
        return cls(X, columns, kinds)

    def empty(self):
        """A zero-row copy: the container template kept by a fitted sampler."""
        return ColumnTable(self.data[:0], [column[:0] for column in self.columns], self.kinds)

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


def _typed_column(raw, label, is_categorical):
    """Return (kind, values) for one column; ``is_categorical`` None means auto."""
    dtype = raw.dtype
    missing = pd.isna(raw)
    if np.any(missing):
        raise ValueError(
            f"X contains missing values (NaN/None) in column {label}; {_IMPUTE_HINT}."
        )
    if is_categorical:
        return "categorical", np.asarray(raw)
    if isinstance(dtype, pd.CategoricalDtype):
        values = np.asarray(raw)
        inferred = "categorical"
    elif pd.api.types.is_bool_dtype(dtype):
        values, inferred = np.asarray(raw, dtype=bool), "boolean"
    elif pd.api.types.is_numeric_dtype(dtype):
        values = np.asarray(raw)
        inferred = "integer" if pd.api.types.is_integer_dtype(dtype) else "floating"
    elif pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
        values = np.asarray(raw, dtype=object)
        inferred = pd.api.types.infer_dtype(values, skipna=False)
    else:
        raise TypeError(
            f"Column {label} has dtype {dtype}, which the sampler cannot model; convert it to "
            "numbers (e.g. datetimes to timestamps) or to categories first."
        )
    if _is_text_or_bool(inferred):
        if is_categorical is False and inferred != "boolean":
            raise ValueError(
                f"Column {label} holds strings/categories but is not listed in "
                "categorical_features; add it to categorical_features or encode it as numbers."
            )
        if is_categorical is None:
            return "categorical", values
        return "integer", values.astype(bool)
    if inferred not in ("integer", "floating", "mixed-integer-float", "decimal"):
        raise ValueError(
            f"Column {label} mixes strings and numbers ({inferred} values); list it in "
            "categorical_features to treat every value as a category, or convert it to numbers."
        )
    if inferred == "integer" and values.dtype.kind in "iu":
        return "integer", values
    values = values.astype(np.float64)
    if not np.all(np.isfinite(values)):
        raise ValueError(
            f"X contains infinity in column {label}; replace or clip infinite values first."
        )
    return "numeric", values


class OutputBuffer:
    """Preallocated synthetic rows, filled chunk by chunk, in the table's container.

    Holds the output plus nothing else: a category column is stored as codes and
    becomes a ``pandas.Categorical`` only when the result is built.
    """

    def __init__(self, table, n_rows, *, after_originals=False):
        self.table = table
        self.offset = table.n_rows if after_originals else 0
        size = self.offset + n_rows
        if table.is_frame:
            self._stores = _column_stores(table.data.dtypes, size)
        else:
            self._array = _mapped_empty((size, len(table.columns)), table.data.dtype)
        if after_originals:
            self._write_originals()

    def _write_originals(self):
        if not self.table.is_frame:
            self._array[: self.offset] = self.table.data
            return
        for store, (_, column) in zip(self._stores, self.table.data.items(), strict=True):
            if isinstance(column.dtype, pd.CategoricalDtype):
                store[: self.offset] = column.cat.codes.to_numpy()
            else:
                store[: self.offset] = column.to_numpy(dtype=store.dtype)

    def write(self, start, columns, rows):
        """Write ``column[rows]`` of each decoded column at synthetic rows ``start`` on."""
        start += self.offset
        stop = start + len(rows)
        if not self.table.is_frame:
            for j, values in enumerate(columns):
                self._array[start:stop, j] = values[rows]
            return
        for store, dtype, values in zip(
            self._stores, self.table.data.dtypes, columns, strict=True
        ):
            if isinstance(dtype, pd.CategoricalDtype):
                store[start:stop] = dtype.categories.get_indexer(values[rows])
            elif values.dtype == store.dtype:
                # Gathered straight into the output; 'clip' skips a buffered bounds check.
                np.take(values, rows, out=store[start:stop], mode="clip")
            else:
                store[start:stop] = values[rows]

    def result(self):
        """The filled buffer as an ndarray or a DataFrame with the original dtypes."""
        if not self.table.is_frame:
            return self._array
        frame = self.table.data
        series = {}
        for position, (store, dtype) in enumerate(zip(self._stores, frame.dtypes, strict=True)):
            if isinstance(dtype, pd.CategoricalDtype):
                series[position] = pd.Categorical.from_codes(store, dtype=dtype)
            elif isinstance(dtype, np.dtype):
                series[position] = store
            else:
                series[position] = pd.array(store, dtype=dtype)
        out = pd.DataFrame(series, copy=False)
        out.columns = frame.columns
        return out


def _column_stores(dtypes, n_rows):
    """One 1-D store per column, as rows of one 2-D block per store dtype.

    A few large allocations instead of one per column: the kernel maps fresh
    memory for them far faster, which matters for millions of rows.
    """
    store_dtypes = [_store_dtype(dtype) for dtype in dtypes]
    stores = [None] * len(store_dtypes)
    for store_dtype in set(store_dtypes):
        positions = [j for j, d in enumerate(store_dtypes) if d == store_dtype]
        block = _mapped_empty((len(positions), n_rows), store_dtype)
        for row, j in enumerate(positions):
            stores[j] = block[row]
    return stores


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


def _store_dtype(dtype):
    if isinstance(dtype, pd.CategoricalDtype):
        return np.dtype(np.intp)
    if isinstance(dtype, np.dtype):
        return dtype
    # Extension dtypes (nullable Int64, boolean, string) are filled as numpy first.
    return np.dtype(getattr(dtype, "numpy_dtype", object))
