"""Privacy: exact copies, and distances from synthetic rows to their nearest real rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors

from ._inputs import _check_max_rows, _prepare, _rng, _subsample, _TabularEncoder


def _median_distances(index, encoder, frame):
    distances, _ = index.kneighbors(encoder.transform(frame))
    dcr = float(np.median(distances[:, 0]))
    if distances.shape[1] < 2:
        return dcr, np.nan
    first, second = distances[:, 0], distances[:, 1]
    nndr = np.divide(first, second, out=np.zeros_like(first), where=second > 0)
    return dcr, float(np.median(nndr))


def _row_keys(frame):
    """Hash every row so that a missing cell matches a missing cell and nothing else."""
    missing = frame.isna()
    # NaN bit patterns vary, so numeric gaps get one filler value; the appended mask
    # keeps a filled gap apart from a true 0 (and a categorical NaN from "nan").
    filled = [
        column.fillna(0.0) if column.dtype == float else column for _, column in frame.items()
    ]
    keyed = pd.concat([*filled, missing], axis=1, ignore_index=True)
    return pd.util.hash_pandas_object(keyed, index=False).to_numpy()


def _copy_share(train, synthetic):
    """Share of ``synthetic`` rows equal to some ``train`` row (prepared frames)."""
    return float(np.isin(_row_keys(synthetic), _row_keys(train)).mean())


def _privacy(prepared, train_name, synthetic_name, holdout_name, max_rows, rng):
    train, synthetic = prepared.frames[train_name], prepared.frames[synthetic_name]
    exact_copy_share = _copy_share(train, synthetic)

    encoder = _TabularEncoder(prepared.numeric, prepared.categorical, prepared.missing)
    encoder.fit(train)
    index = NearestNeighbors(n_neighbors=min(2, len(train))).fit(encoder.transform(train))
    dcr_synthetic, nndr_synthetic = _median_distances(
        index, encoder, _subsample(synthetic, max_rows, rng)
    )
    dcr_holdout = nndr_holdout = dcr_ratio = np.nan
    if holdout_name in prepared.frames:
        holdout = _subsample(prepared.frames[holdout_name], max_rows, rng)
        dcr_holdout, nndr_holdout = _median_distances(index, encoder, holdout)
        if dcr_holdout > 0:
            dcr_ratio = dcr_synthetic / dcr_holdout
    return {
        "exact_copy_share": exact_copy_share,
        "dcr_synthetic_median": dcr_synthetic,
        "dcr_holdout_median": dcr_holdout,
        "dcr_ratio": dcr_ratio,
        "nndr_synthetic_median": nndr_synthetic,
        "nndr_holdout_median": nndr_holdout,
    }


def privacy_scores(
    train,
    synthetic,
    *,
    holdout=None,
    categorical_features=None,
    max_rows=5000,
    random_state=None,
):
    """Distance-based checks of whether synthetic rows copy training rows.

    Rows are compared after standardising numeric columns and one-hot encoding
    categorical columns, both fitted on ``train``, with Euclidean distances.
    Where any sample has missing values, a numeric column gets a 0/1 missing
    indicator and its missing values the training median, and a categorical
    column a category for "missing". The
    distance to closest record (DCR) of a row is its distance to the nearest
    training row. A generator that memorises its training data produces synthetic
    rows that are closer to the training rows than fresh real rows are.

    Parameters
    ----------
    train : DataFrame or ndarray of shape (n_train, n_features)
        Rows the generator was trained on. All of them are used as the reference
        set.
    synthetic : DataFrame or ndarray of shape (n_synthetic, n_features)
        Generated rows.
    holdout : DataFrame, ndarray or None, default=None
        Real rows from the same distribution that were *not* used for training.
        Without it, the holdout entries and ``dcr_ratio`` are NaN (the training
        set is not split, so its rows stay the reference set).
    categorical_features : None, list of names or positions, or bool mask, default=None
        Which columns are categorical; ``None`` uses the dtypes.
    max_rows : int, default=5000
        Synthetic and holdout rows are subsampled to at most this many rows for
        the distance computations. ``exact_copy_share`` always uses all rows.
    random_state : int, RandomState instance or None, default=None
        Controls the subsampling; ``None`` draws fresh operating-system
        entropy. The global NumPy random state is never used.

    Returns
    -------
    dict of str to float
        * ``exact_copy_share``: share of synthetic rows identical to some training
          row (all columns equal, a missing value equal to a missing value);
        * ``dcr_synthetic_median``, ``dcr_holdout_median``: median DCR of synthetic
          and of holdout rows;
        * ``dcr_ratio``: ``dcr_synthetic_median / dcr_holdout_median``; about 1 for
          a fresh sample of the training distribution, much smaller than 1 when
          synthetic rows are (near) copies, NaN without holdout;
        * ``nndr_synthetic_median``, ``nndr_holdout_median``: median ratio of the
          distances to the closest and second-closest training rows (in [0, 1];
          values near 0 mean a row sits on top of one training record). A row whose
          two closest training rows are both at distance 0 counts as 0.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_deepgen.metrics import privacy_scores
    >>> rng = np.random.RandomState(0)
    >>> train, holdout = rng.normal(size=(200, 2)), rng.normal(size=(200, 2))
    >>> synthetic = np.vstack([train[:50], rng.normal(size=(150, 2))])
    >>> scores = privacy_scores(train, synthetic, holdout=holdout, random_state=0)
    >>> print(scores["exact_copy_share"])
    0.25
    >>> print(scores["dcr_ratio"] < 1)
    True
    """
    _check_max_rows(max_rows)
    prepared = _prepare(
        {"train": train, "synthetic": synthetic, "holdout": holdout}, categorical_features
    )
    rng = _rng(random_state)
    return _privacy(prepared, "train", "synthetic", "holdout", max_rows, rng)


def exact_copy_share(train, synthetic, *, categorical_features=None):
    """Share of synthetic rows identical to some training row.

    The cheap part of :func:`privacy_scores`, for use on every fit: rows are
    compared on all columns at once, numeric values exactly. Missing values
    (NaN, None, ``pd.NA``, ``NaT``) are equal to each other, so a row with gaps
    in the same cells as a training row and equal values elsewhere is a copy.

    Parameters
    ----------
    train : DataFrame or ndarray of shape (n_train, n_features)
        Rows the generator was trained on.
    synthetic : DataFrame or ndarray of shape (n_synthetic, n_features)
        Generated rows; at least one.
    categorical_features : None, list of names or positions, or bool mask, default=None
        Which columns are categorical; ``None`` uses the dtypes.

    Returns
    -------
    float
        Between 0 (no synthetic row repeats a training row) and 1.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_deepgen.metrics import exact_copy_share
    >>> train = np.arange(8.0).reshape(4, 2)
    >>> exact_copy_share(train, np.vstack([train[:1], [[0.5, 1.0]]]))
    0.5
    """
    prepared = _prepare({"train": train, "synthetic": synthetic}, categorical_features)
    return _copy_share(prepared.frames["train"], prepared.frames["synthetic"])
