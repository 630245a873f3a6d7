"""Columns of one class <-> one float32 matrix the networks can learn.

The encoded matrix holds every numeric column first (one block, so one output
activation covers them), then a one-hot block per categorical column, then a
(present, missing) block per numeric column with missing values in the fitted
rows. :class:`OutputSpans` tells the networks where each block is.

Missing values: a categorical column's missing value is one more category. A
numeric column's missingness is its indicator block, and its value is 0 in
the missing cells: the networks mask the value channel by the indicator, so a
missing cell never teaches them a value. A numeric column missing in every
fitted row is left out of the model and generated missing.
"""

from typing import NamedTuple

import numpy as np
import pandas as pd
import torch
from scipy.special import ndtri

NUMERIC_TRANSFORMS = ("quantile", "standard", "minmax")

# Quantile positions are kept away from 0 and 1 so the normal scores stay finite.
_QUANTILE_EPS = 1e-3
_SCORE_LIMIT = float(ndtri(1.0 - _QUANTILE_EPS))
# Decoding grid of the quantile transform: fine enough that interpolating the
# table is indistinguishable from interpolating the knots themselves.
_SCORE_GRID = np.linspace(-_SCORE_LIMIT, _SCORE_LIMIT, 2049)
_GRID_PER_SCORE = (_SCORE_GRID.size - 1) / (2.0 * _SCORE_LIMIT)


class OutputSpans(NamedTuple):
    """Layout of an encoded row: the contract between transformer and networks."""

    n_numeric: int
    numeric_activation: str
    category_sizes: tuple
    # Numeric positions whose value is masked by an indicator block; their
    # (present, missing) blocks are the last ones of ``category_sizes``, in order.
    masked_numeric: tuple = ()

    @property
    def width(self):
        return self.n_numeric + sum(self.category_sizes)

    @property
    def present_columns(self):
        """Encoded column of each masked value's "present" indicator, in order."""
        first = self.width - 2 * len(self.masked_numeric)
        return tuple(range(first, self.width, 2))


def masked_numeric(encoded, spans):
    """The numeric block of encoded rows (a tensor), NaN where the value is missing."""
    numeric = encoded[:, : spans.n_numeric].clone()
    if spans.masked_numeric:
        masked = list(spans.masked_numeric)
        present = encoded[:, list(spans.present_columns)] > 0.5
        numeric[:, masked] = torch.where(present, numeric[:, masked], torch.nan)
    return numeric


class _NumericBlock:
    """Every numeric column of a class, encoded and decoded as one matrix.

    ``'quantile'`` maps each column's sorted unique values (mid-rank positions)
    to standard-normal scores and interpolates linearly between them in score
    space. Decoding reads a per-column lookup table on a fixed score grid, so
    millions of rows decode with a few vectorised operations instead of a
    binary search per value. ``'standard'`` and ``'minmax'`` are affine.
    """

    def __init__(self, method):
        self.method = method

    def fit(self, values):
        """Fit on a (n, p) matrix; NaN cells are missing and ignored."""
        # NaN-aware reductions only where needed: complete data keeps the plain ones.
        if np.isnan(values).any():
            low, high, mean, std = np.nanmin, np.nanmax, np.nanmean, np.nanstd
        else:
            low, high, mean, std = np.min, np.max, np.mean, np.std
        self.low_, self.high_ = low(values, axis=0), high(values, axis=0)
        if self.method == "quantile":
            self.knots_ = [_quantile_knots(column[~np.isnan(column)]) for column in values.T]
            self.table_ = np.stack(
                [np.interp(_SCORE_GRID, scores, uniques) for uniques, scores in self.knots_]
            )
            # Per-cell increments, padded to the table's shape so one flat index reads both.
            self.steps_ = np.diff(self.table_, axis=1, append=self.table_[:, -1:])
            return self
        if self.method == "standard":
            # Moments of values / max|value|: squares of 1e200 would overflow.
            magnitude = high(np.abs(values), axis=0)
            magnitude[magnitude == 0] = 1.0
            self.offset_ = mean(values / magnitude, axis=0) * magnitude
            scale = std(values / magnitude, axis=0) * magnitude
        else:
            self.offset_, scale = self.low_, self.high_ - self.low_
        # A constant column would divide by zero; it encodes to 0 and decodes back.
        self.scale_ = np.where(scale > 0, scale, 1.0)
        return self

    def transform(self, values):
        if self.method != "quantile":
            return (values - self.offset_) / self.scale_
        return np.column_stack(
            [
                np.interp(column, uniques, scores)
                for column, (uniques, scores) in zip(values.T, self.knots_, strict=True)
            ]
        )

    def inverse_transform(self, scores):
        """Decode a (p, n) float32 score tensor, one row per column, into (p, n) float64.

        Each decoded column is then one contiguous row, copied into the output
        without a strided read; values are clipped to the fitted range per
        column. Runs as torch CPU operations: they use the thread pool the
        sampler was given, and float32 intermediates halve the memory traffic.
        """
        scores = scores.contiguous()
        if self.method != "quantile":
            decoded = scores.double().mul_(_column(self.scale_)).add_(_column(self.offset_))
        else:
            decoded = self._interpolate(scores)
        return decoded.clamp_(_column(self.low_), _column(self.high_)).numpy()

    def _interpolate(self, scores):
        """Quantile decoding: linear interpolation in the per-column lookup table.

        A score becomes a fractional position on the grid; the table's last
        cell has a step of zero, so the top of the grid reads the last knot.
        """
        position = scores.mul(_GRID_PER_SCORE).add_(_GRID_PER_SCORE * _SCORE_LIMIT)
        position.clamp_(0.0, _SCORE_GRID.size - 1.0)
        cell = position.long()
        weight = position.sub_(cell)  # fractional position inside the cell
        below = torch.gather(torch.from_numpy(self.table_), 1, cell)
        step = torch.gather(torch.from_numpy(self.steps_), 1, cell)
        return below.addcmul_(step, weight)


def _column(array, dtype=torch.float64):
    """A (p, 1) tensor that broadcasts one value per row of a (p, n) matrix."""
    return torch.as_tensor(np.asarray(array), dtype=dtype)[:, None]


def _quantile_knots(column):
    """Sorted unique values and the normal scores of their mid-rank positions."""
    uniques, counts = np.unique(column, return_counts=True)
    positions = (np.cumsum(counts) - counts / 2.0) / counts.sum()
    return uniques, ndtri(np.clip(positions, _QUANTILE_EPS, 1.0 - _QUANTILE_EPS))


class TabularTransformer:
    """Encode the rows of one class for a generative network, and decode its output.

    Parameters
    ----------
    kinds : list of {"numeric", "integer", "categorical"}
        Kind of each column, in the user's column order. Numeric and integer
        columns hold NaN where a value is missing.
    numeric_transform : {"quantile", "standard", "minmax"}
        Transform of numeric and integer columns. Decoded values are clipped to
        the range seen in the fitted rows; integer columns are also rounded.
    """

    def __init__(self, kinds, numeric_transform="quantile"):
        self.kinds = list(kinds)
        self.numeric_transform = numeric_transform

    def fit(self, columns):
        """Learn per-column encodings from a list of 1-D arrays (one per column)."""
        numbers = [j for j, kind in enumerate(self.kinds) if kind != "categorical"]
        missing = {j: _missing_share(columns[j]) for j in numbers}
        # A column missing in every fitted row has nothing to learn: it is generated missing.
        self.absent_index_ = [j for j in numbers if missing[j] == 1.0]
        self.numeric_index_ = [j for j in numbers if missing[j] < 1.0]
        self.categorical_index_ = [j for j, kind in enumerate(self.kinds) if kind == "categorical"]
        numeric = self._numeric_matrix(columns)
        self.numeric_ = (
            _NumericBlock(self.numeric_transform).fit(numeric) if numeric.size else None
        )
        # Integer columns keep bounds in their own dtype so decoding cannot overflow.
        self.integer_bounds_ = {
            j: (np.nanmin(columns[j]), np.nanmax(columns[j]))
            for j in self.numeric_index_
            if self.kinds[j] == "integer"
        }
        # Categories seen in these rows, in order of first appearance.
        self.categories_ = [pd.unique(np.asarray(columns[j])) for j in self.categorical_index_]
        masked = [p for p, j in enumerate(self.numeric_index_) if missing[j] > 0.0]
        self.output_spans_ = OutputSpans(
            n_numeric=len(self.numeric_index_),
            numeric_activation="sigmoid" if self.numeric_transform == "minmax" else "linear",
            category_sizes=tuple(len(c) for c in self.categories_) + (2,) * len(masked),
            masked_numeric=tuple(masked),
        )
        self.blocked_codes_ = None
        return self

    def for_rows(self, columns):
        """A copy that never generates a missing value where ``columns`` have none.

        A model fitted on several classes' rows learns missingness from all of
        them; this copy blocks, per categorical and indicator block, the
        outcomes these rows (one class's) never show as missing or present.
        """
        blocked = []
        for j, categories in zip(self.categorical_index_, self.categories_, strict=True):
            is_missing = pd.isna(categories)
            in_rows = pd.isna(np.asarray(columns[j]))
            block = is_missing if not in_rows.any() else ~is_missing if in_rows.all() else None
            blocked.append(None if block is None or not block.any() else torch.from_numpy(block))
        for position in self.output_spans_.masked_numeric:
            share = _missing_share(columns[self.numeric_index_[position]])
            block = np.array([share == 1.0, share == 0.0])  # (present, missing) never seen
            blocked.append(torch.from_numpy(block) if block.any() else None)
        any_blocked = any(block is not None for block in blocked)
        copy = _shallow_copy(self)
        copy.blocked_codes_ = blocked if any_blocked else None
        return copy

    def _numeric_matrix(self, columns):
        n_rows = len(columns[0])
        matrix = np.empty((n_rows, len(self.numeric_index_)), dtype=np.float64)
        for position, j in enumerate(self.numeric_index_):
            matrix[:, position] = columns[j]
        return matrix

    def transform(self, columns):
        """Encode a list of columns into a float32 matrix laid out as ``output_spans_``."""
        n_rows = len(columns[0])
        spans = self.output_spans_
        encoded = np.empty((n_rows, spans.width), dtype=np.float32)
        if self.numeric_ is not None:
            numeric = self._numeric_matrix(columns)
            encoded[:, : spans.n_numeric] = self.numeric_.transform(numeric)
            for position, present in zip(spans.masked_numeric, spans.present_columns, strict=True):
                is_missing = np.isnan(numeric[:, position])
                encoded[is_missing, position] = 0.0
                encoded[:, present] = ~is_missing
                encoded[:, present + 1] = is_missing
        start = spans.n_numeric
        for j, categories in zip(self.categorical_index_, self.categories_, strict=True):
            codes = pd.Index(categories).get_indexer(np.asarray(columns[j]))
            block = np.zeros((n_rows, len(categories)), dtype=np.float32)
            block[np.arange(n_rows), codes] = 1.0
            encoded[:, start : start + len(categories)] = block
            start += len(categories)
        return encoded

    def decode(self, numeric, codes):
        """Decode generated output back to one array per column.

        Parameters
        ----------
        numeric : torch.Tensor of shape (n_rows, n_numeric)
            Float32 numeric output, in encoded units; a column-major one
            decodes without a copy.
        codes : list of torch.Tensor of shape (n_rows,)
            The drawn position in each categorical block, then in each
            (present, missing) block.

        Returns
        -------
        list of ndarray
            Numeric columns as float64 clipped to the fitted range (rounded
            for integer columns), NaN where generated missing; categorical
            columns as the seen values.
        """
        n_rows = len(numeric)
        columns = [None] * len(self.kinds)
        if self.numeric_ is not None:
            decoded = self.numeric_.inverse_transform(numeric.T.cpu())
            for position, j in enumerate(self.numeric_index_):
                if j in self.integer_bounds_:
                    columns[j] = _round_within(decoded[position], *self.integer_bounds_[j])
                else:
                    columns[j] = decoded[position]
        n_categorical = len(self.categorical_index_)
        for j, categories, code in zip(
            self.categorical_index_, self.categories_, codes[:n_categorical], strict=True
        ):
            columns[j] = categories[code.cpu().numpy()]
        for position, code in zip(
            self.output_spans_.masked_numeric, codes[n_categorical:], strict=True
        ):
            column = columns[self.numeric_index_[position]]
            column[code.cpu().numpy().astype(bool)] = np.nan
        for j in self.absent_index_:
            columns[j] = np.full(n_rows, np.nan)
        return columns


def _missing_share(column):
    return float(np.mean(pd.isna(column))) if len(column) else 0.0


def _shallow_copy(transformer):
    copy = TabularTransformer.__new__(TabularTransformer)
    copy.__dict__.update(transformer.__dict__)
    return copy


def _round_within(values, low, high):
    """Round to integers inside [low, high], in the dtype of the bounds.

    Values at or beyond a bound take the bound itself, never a float cast of it:
    float64 cannot hold every int64, and casting 2**63 would wrap around.
    """
    values = np.rint(values)
    inside = (values > low) & (values < high)
    out = np.where(values <= low, low, high)
    out[inside] = values[inside].astype(out.dtype)
    return out
