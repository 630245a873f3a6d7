"""Loading benchmark datasets.

Every dataset is returned as a :class:`Dataset`: a feature ``DataFrame`` whose
nominal columns have pandas ``category`` dtype (with string categories), a binary
target (1 = minority) and the list of nominal column names.

Four sources are supported:

* the small KEEL subset bundled in ``benchmarks/data/keel`` (the default);
* the tables with natural missing values bundled in ``benchmarks/data/missing``
  (``--missing-data``), or a directory of such tables in the KEEL layout;
* any directory of CSV files in the KEEL layout (``--data-dir``): feature
  columns first, the binary ``target`` column last. Nominal columns are read
  from a ``manifest.csv`` in the same directory when it lists them (column
  ``nominal_columns``, names separated by ``;``), otherwise every non-numeric
  column is treated as nominal;
* the credit-card fraud data (``--creditcard``): a CSV or CSV.gz file with a
  ``Class`` column, or ``openml`` to download OpenML data set 1597 (only when
  asked for explicitly).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

#: read_csv options that parse every float to the value it was written from:
#: before pandas 3 the default parser may miss the last bit, and data and
#: stored results would then differ between pandas versions.
EXACT_FLOATS = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}

#: Directory holding the bundled KEEL subset.
BUNDLED_KEEL_DIR = Path(__file__).resolve().parent / "data" / "keel"

#: Directory holding the bundled tables with natural missing values.
BUNDLED_MISSING_DIR = Path(__file__).resolve().parent / "data" / "missing"

#: Name of the target column in KEEL-layout files.
KEEL_TARGET = "target"

#: Name of the target column in the credit-card fraud file.
CREDITCARD_TARGET = "Class"

#: OpenML identifier of the credit-card fraud data (used only on request).
CREDITCARD_OPENML_ID = 1597

MANIFEST_NAME = "manifest.csv"
_CSV_SUFFIXES = (".csv", ".csv.gz")


@dataclass(frozen=True)
class Dataset:
    """A binary classification dataset ready for the benchmark.

    Parameters
    ----------
    name : str
        Short name used in result tables.
    X : pandas.DataFrame
        Features. Nominal columns have ``category`` dtype.
    y : numpy.ndarray
        Binary integer target, 1 marks the minority class.
    nominal_columns : tuple of str
        Names of the nominal columns of ``X`` (may be empty).
    """

    name: str
    X: pd.DataFrame
    y: np.ndarray
    nominal_columns: tuple[str, ...] = field(default_factory=tuple)

    @property
    def numeric_columns(self) -> tuple[str, ...]:
        """Names of the columns that are not nominal."""
        nominal = set(self.nominal_columns)
        return tuple(column for column in self.X.columns if column not in nominal)

    @property
    def imbalance_ratio(self) -> float:
        """Number of majority rows per minority row."""
        n_minority = int(np.sum(self.y == 1))
        return float(np.sum(self.y == 0) / n_minority) if n_minority else float("inf")


def make_dataset(
    name: str, X: pd.DataFrame, y: Iterable, nominal_columns: Sequence[str] = ()
) -> Dataset:
    """Build a :class:`Dataset`, casting nominal columns to ``category`` dtype.

    Parameters
    ----------
    name : str
        Dataset name.
    X : pandas.DataFrame
        Feature table.
    y : array-like of shape (n_samples,)
        Binary target, 1 = minority.
    nominal_columns : sequence of str, default=()
        Columns to treat as nominal. Their values are converted to strings so
        that numerically coded nominal columns (for example 0/1 flags) are
        encoded as categories, not as numbers.

    Returns
    -------
    Dataset
        The dataset.
    """
    X = X.reset_index(drop=True).copy()
    missing = [column for column in nominal_columns if column not in X.columns]
    if missing:
        raise ValueError(f"{name}: nominal columns not found: {missing}")
    for column in nominal_columns:
        # Missing values stay missing, not the string 'nan'.
        values = X[column]
        X[column] = values.where(values.isna(), values.astype(str)).astype("category")
    numeric = [column for column in X.columns if column not in set(nominal_columns)]
    X[numeric] = X[numeric].astype(float)
    y = np.asarray(y).astype(int)
    if set(np.unique(y)) - {0, 1}:
        raise ValueError(f"{name}: the target must be binary 0/1, got {np.unique(y)}")
    return Dataset(name=name, X=X, y=y, nominal_columns=tuple(nominal_columns))


def _dataset_name(path: Path) -> str:
    name = path.name
    for suffix in _CSV_SUFFIXES[::-1]:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _read_manifest(directory: Path) -> dict[str, list[str]]:
    """Map dataset name to its nominal columns, from ``manifest.csv`` if present."""
    path = directory / MANIFEST_NAME
    if not path.exists():
        return {}
    manifest = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "name" not in manifest or "nominal_columns" not in manifest:
        return {}
    return {
        row["name"]: [column for column in row["nominal_columns"].split(";") if column]
        for _, row in manifest.iterrows()
    }


def load_keel_csv(path: str | Path, nominal_columns: Sequence[str] | None = None) -> Dataset:
    """Load one KEEL-layout CSV file (``target`` column last, 1 = minority).

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.csv`` or ``.csv.gz`` file.
    nominal_columns : sequence of str, optional
        Nominal columns. When omitted, every non-numeric column is nominal.

    Returns
    -------
    Dataset
        The dataset, named after the file.
    """
    path = Path(path)
    frame = pd.read_csv(path, **EXACT_FLOATS)
    if KEEL_TARGET not in frame.columns:
        raise ValueError(f"{path}: no '{KEEL_TARGET}' column")
    y = frame.pop(KEEL_TARGET)
    if nominal_columns is None:
        nominal_columns = [
            column for column in frame.columns if not pd.api.types.is_numeric_dtype(frame[column])
        ]
    return make_dataset(_dataset_name(path), frame, y, nominal_columns)


def load_keel_dir(directory: str | Path) -> list[Dataset]:
    """Load every KEEL-layout CSV in a directory, sorted by name.

    ``manifest.csv`` is not a dataset: it is only read for the nominal columns.

    Parameters
    ----------
    directory : str or pathlib.Path
        Directory containing ``*.csv`` or ``*.csv.gz`` files.

    Returns
    -------
    list of Dataset
        The datasets.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"not a directory: {directory}")
    manifest = _read_manifest(directory)
    paths = sorted(
        path
        for path in directory.iterdir()
        if path.name.endswith(_CSV_SUFFIXES) and _dataset_name(path) != "manifest"
    )
    if not paths:
        raise FileNotFoundError(f"no CSV files in {directory}")
    return [load_keel_csv(path, manifest.get(_dataset_name(path))) for path in paths]


def load_bundled() -> list[Dataset]:
    """Load the KEEL subset bundled with the benchmarks (see ``data/README.md``).

    Returns
    -------
    list of Dataset
        The bundled datasets.
    """
    return load_keel_dir(BUNDLED_KEEL_DIR)


def load_creditcard(source: str | Path) -> Dataset:
    """Load the credit-card fraud data.

    Parameters
    ----------
    source : str or pathlib.Path
        Path to a CSV or CSV.gz file with a ``Class`` column, or the word
        ``"openml"`` to download OpenML data set 1597 (requires network access).

    Returns
    -------
    Dataset
        The dataset, named ``creditcard``; all features are numeric.
    """
    if str(source).lower() == "openml":
        from sklearn.datasets import fetch_openml

        bunch = fetch_openml(data_id=CREDITCARD_OPENML_ID, as_frame=True)
        frame = bunch.frame
    else:
        frame = pd.read_csv(source, **EXACT_FLOATS)
    if CREDITCARD_TARGET not in frame.columns:
        raise ValueError(f"{source}: no '{CREDITCARD_TARGET}' column")
    y = frame.pop(CREDITCARD_TARGET).astype(str).str.strip("'\"").astype(int)
    return make_dataset("creditcard", frame, y)


def select_datasets(datasets: Sequence[Dataset], names: Sequence[str] | None) -> list[Dataset]:
    """Keep the datasets whose names are listed, in the order of ``names``.

    Parameters
    ----------
    datasets : sequence of Dataset
        Available datasets.
    names : sequence of str or None
        Names to keep; ``None`` or empty keeps all.

    Returns
    -------
    list of Dataset
        The selection.

    Raises
    ------
    ValueError
        If a name matches no dataset.
    """
    if not names:
        return list(datasets)
    by_name = {dataset.name: dataset for dataset in datasets}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise ValueError(f"unknown datasets {unknown}; available: {sorted(by_name)}")
    return [by_name[name] for name in names]
