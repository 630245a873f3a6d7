"""Columns of one class <-> one float32 matrix the networks can learn.

The encoded matrix holds every numeric column first (one block, so one output
activation covers them) and then a one-hot block per categorical column.
:class:`OutputSpans` tells the networks where each block is.
"""

from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

NUMERIC_TRANSFORMS = ("quantile", "standard", "minmax")

# Quantile positions are kept away from 0 and 1 so the normal scores stay finite.
_QUANTILE_EPS = 1e-3


class OutputSpans(NamedTuple):
    """Layout of an encoded row: the contract between transformer and networks."""

    n_numeric: int
    numeric_activation: str
    category_sizes: tuple

    @property
    def width(self):
        return self.n_numeric + sum(self.category_sizes)


class _QuantileColumn:
    """Empirical CDF mapped to standard-normal scores (heavy tails become Gaussian)."""

    def fit(self, values):
        uniques, counts = np.unique(values, return_counts=True)
        # Mid-rank positions: ties share one position, the extremes stay off 0 and 1.
        positions = (np.cumsum(counts) - counts / 2.0) / counts.sum()
        self.values_ = uniques
        self.positions_ = np.clip(positions, _QUANTILE_EPS, 1.0 - _QUANTILE_EPS)
        return self

    def transform(self, values):
        if self.values_.size == 1:
            return np.zeros_like(values)
        return ndtri(np.interp(values, self.values_, self.positions_))

    def inverse_transform(self, scores):
        if self.values_.size == 1:
            return np.full_like(scores, self.values_[0])
        return np.interp(ndtr(scores), self.positions_, self.values_)


class _AffineColumn:
    """(x - offset) / scale: standardisation or min-max scaling."""

    def __init__(self, method):
        self.method = method

    def fit(self, values):
        if self.method == "standard":
            # Moments of values / max|value|: squares of 1e200 would overflow.
            magnitude = np.abs(values).max() or 1.0
            self.offset_ = (values / magnitude).mean() * magnitude
            scale = (values / magnitude).std() * magnitude
        else:
            self.offset_, scale = values.min(), np.ptp(values)
        # A constant column would divide by zero; it encodes to 0 and decodes back.
        self.scale_ = scale if scale > 0 else 1.0
        return self

    def transform(self, values):
        return (values - self.offset_) / self.scale_

    def inverse_transform(self, scores):
        return scores * self.scale_ + self.offset_


class TabularTransformer:
    """Encode the rows of one class for a generative network, and decode its output.

    Parameters
    ----------
    kinds : list of {"numeric", "integer", "categorical"}
        Kind of each column, in the user's column order.
    numeric_transform : {"quantile", "standard", "minmax"}
        Transform of numeric and integer columns. Decoded values are clipped to
        the range seen in the fitted rows; integer columns are also rounded.
    """

    def __init__(self, kinds, numeric_transform="quantile"):
        self.kinds = list(kinds)
        self.numeric_transform = numeric_transform

    def fit(self, columns):
        """Learn per-column encodings from a list of 1-D arrays (one per column)."""
        self.numeric_index_ = [j for j, kind in enumerate(self.kinds) if kind != "categorical"]
        self.categorical_index_ = [j for j, kind in enumerate(self.kinds) if kind == "categorical"]
        self.numeric_encoders_, self.ranges_ = [], []
        for j in self.numeric_index_:
            column = np.asarray(columns[j])
            values = column.astype(np.float64)
            encoder = (
                _QuantileColumn()
                if self.numeric_transform == "quantile"
                else _AffineColumn(self.numeric_transform)
            )
            self.numeric_encoders_.append(encoder.fit(values))
            # Integer columns keep their own dtype's bounds so decoding cannot overflow.
            bounds = column if self.kinds[j] == "integer" else values
            self.ranges_.append((bounds.min(), bounds.max()))
        # Categories seen in these rows, in order of first appearance.
        self.categories_ = [pd.unique(np.asarray(columns[j])) for j in self.categorical_index_]
        self.output_spans_ = OutputSpans(
            n_numeric=len(self.numeric_index_),
            numeric_activation="sigmoid" if self.numeric_transform == "minmax" else "linear",
            category_sizes=tuple(len(c) for c in self.categories_),
        )
        return self

    def transform(self, columns):
        """Encode a list of columns into a float32 matrix laid out as ``output_spans_``."""
        n_rows = len(columns[0])
        encoded = np.empty((n_rows, self.output_spans_.width), dtype=np.float32)
        for position, (j, encoder) in enumerate(
            zip(self.numeric_index_, self.numeric_encoders_, strict=True)
        ):
            encoded[:, position] = encoder.transform(np.asarray(columns[j], dtype=np.float64))
        start = self.output_spans_.n_numeric
        for j, categories in zip(self.categorical_index_, self.categories_, strict=True):
            codes = pd.Index(categories).get_indexer(np.asarray(columns[j]))
            block = np.zeros((n_rows, len(categories)), dtype=np.float32)
            block[np.arange(n_rows), codes] = 1.0
            encoded[:, start : start + len(categories)] = block
            start += len(categories)
        return encoded

    def inverse_transform(self, encoded):
        """Decode a matrix of network output back to one array per column.

        Numeric columns come back as float64 clipped to the fitted range
        (rounded for integer columns); categorical columns as the seen values.
        """
        columns = [None] * len(self.kinds)
        for position, (j, encoder, (low, high)) in enumerate(
            zip(self.numeric_index_, self.numeric_encoders_, self.ranges_, strict=True)
        ):
            values = encoder.inverse_transform(encoded[:, position].astype(np.float64))
            if self.kinds[j] == "integer":
                columns[j] = _round_within(values, low, high)
            else:
                columns[j] = np.clip(values, low, high)
        start = self.output_spans_.n_numeric
        for j, categories in zip(self.categorical_index_, self.categories_, strict=True):
            block = encoded[:, start : start + len(categories)]
            columns[j] = categories[block.argmax(axis=1)]
            start += len(categories)
        return columns


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
