"""Rejection of generated rows that scorers of the real rows place outside their class.

A model trained on a few dozen rows of a class spreads some of its output where
the real rows say something else: beyond the class's own rows, or among the
rows of another class. A classifier trained on such rows learns the wrong
boundary there. Each filter is a class-against-the-rest scorer fitted on the
real rows, with a threshold; a generated row is kept when every scorer of its
class puts it at or above the threshold.

- ``'linear'``: a class-balanced logistic regression; the threshold is the
  lowest score of the class's real rows. Rows interpolated between real rows,
  as SMOTE's are, always pass: a linear score of a convex combination lies
  between the scores of the rows combined.
- ``'classifier'``: a class-balanced network of one hidden layer; the
  threshold is even odds, so a row passes unless the scorer gives it to the
  other classes.

Scorers see one encoding of all classes (standardised numbers, one-hot
categories) and are fitted on a fixed reference set: every real row of a small
class, an evenly spaced subset of a large one. Fitting draws nothing from the
sampler's random stream, and scoring is a matrix product or two per chunk, so
its cost per generated row does not grow with the data.
"""

import warnings

import numpy as np
import pandas as pd
import torch
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from ._networks import mlp
from ._training import FusedAdam, evenly_spaced_rows
from ._transformer import TabularTransformer

FILTERS = ("linear", "classifier")

# Real rows of each class in the reference set: bounds the cost of fitting on
# large tables (a larger class contributes an evenly spaced subset).
MAX_REFERENCE_ROWS = 2_000

# The 'classifier' scorer: hidden width, full-batch Adam steps and rate. Enough
# to fit a reference set of a few thousand rows; a fixed seed keeps it a
# deterministic function of the data.
_CLASSIFIER_HIDDEN = 32
_CLASSIFIER_STEPS = 200
_CLASSIFIER_LEARNING_RATE = 1e-2
_CLASSIFIER_SEED = 0


def check_filters(filters):
    """The filter names of the ``filters`` parameter as a tuple; raises on unknown names."""
    names = () if filters is None else (filters,) if isinstance(filters, str) else tuple(filters)
    unknown = [name for name in names if name not in FILTERS]
    if unknown or len(set(names)) != len(names):
        raise ValueError(
            f"filters={filters!r} must be None or names among {list(FILTERS)}, each at most "
            "once, e.g. ('linear', 'classifier')."
        )
    return names


class RowFilter:
    """The scorers of each filtered class, over one reference encoding of all classes.

    Parameters
    ----------
    names : tuple of str
        Filters among :data:`FILTERS`; a row must pass all of them.
    """

    def __init__(self, names):
        self.names = names

    def fit(self, table, y, class_labels):
        """Fit every filter's scorer and threshold for each of ``class_labels``."""
        y = np.asarray(y)
        rows = evenly_spaced_rows(y, MAX_REFERENCE_ROWS)
        columns = [column[rows] for column in table.columns]
        encoding = TabularTransformer(table.kinds, "standard").fit(columns)
        encoded = torch.from_numpy(encoding.transform(columns))
        y = y[rows]
        self.scorers_ = {}
        for label in class_labels:
            if encoded.shape[1] == 0:  # only columns missing in every row: nothing to score
                self.scorers_[label] = None
                continue
            scorers = [_SCORERS[name](encoded, y == label) for name in self.names]
            own_rows = [column[y == label] for column in columns]
            self.scorers_[label] = _ClassScorers(scorers, encoding, own_rows)
        return self

    def accepts(self, columns, class_label):
        """Boolean mask of the generated rows (decoded columns) every scorer keeps."""
        scorers = self.scorers_[class_label]
        if scorers is None:
            return np.ones(len(columns[0]), dtype=bool)
        return scorers.accepts(columns)


class _ClassScorers:
    """One class's scorers, evaluated straight on decoded columns.

    The standardisation of numeric columns is folded into the scorers' first
    layers, which are stacked into one, and a one-hot category's product with
    a first layer is a lookup of one of its columns: scoring a chunk takes one
    matrix product and a lookup per categorical column, with no encoded copy.
    """

    def __init__(self, scorers, encoding, own_rows):
        firsts = [network[0] for network, _ in scorers]
        weight = torch.cat([first.weight.detach() for first in firsts]).double()
        bias = torch.cat([first.bias.detach() for first in firsts]).double()
        n_numeric = encoding.output_spans_.n_numeric
        self.numeric_index = encoding.numeric_index_
        self.categorical_index = encoding.categorical_index_
        self.categories = [pd.Index(categories) for categories in encoding.categories_]
        if n_numeric:
            scale = torch.as_tensor(encoding.numeric_.scale_)
            offset = torch.as_tensor(encoding.numeric_.offset_)
            numeric = weight[:, :n_numeric] / scale
            bias = bias - numeric @ offset
            self.numeric_weight = numeric.T.float().contiguous()
        # Per categorical column, its first-layer columns as rows, plus a row of
        # zeros for a category the reference rows lack.
        self.category_weights, start = [], n_numeric
        for categories in self.categories:
            block = weight[:, start : start + len(categories)].T.float()
            self.category_weights.append(torch.cat([block, block.new_zeros(1, len(bias))]))
            start += len(categories)
        # A missing value reads as the column's mean (0 once standardised) plus
        # its indicator's first-layer column: rows (present, missing).
        spans = encoding.output_spans_
        self.masked = list(spans.masked_numeric)
        self.fill = [offset[position].item() for position in self.masked]
        self.indicator_weights = [
            weight[:, column : column + 2].T.float() for column in spans.present_columns
        ]
        self.bias = bias.float()
        self.heads, start = [], 0
        for network, _ in scorers:
            stop = start + network[0].out_features
            self.heads.append((slice(start, stop), network[1:]))
            start = stop
        # A threshold of None is the lowest score of the class's real rows, as
        # computed here, so that each of those rows passes to the last bit.
        own_scores = self.scores(own_rows)
        self.thresholds = [
            scores.min().item() if threshold is None else threshold
            for scores, (_, threshold) in zip(own_scores, scorers, strict=True)
        ]

    def accepts(self, columns):
        keep = torch.ones(len(columns[0]), dtype=torch.bool)
        for scores, threshold in zip(self.scores(columns), self.thresholds, strict=True):
            keep &= scores >= threshold
        return keep.numpy()

    def scores(self, columns):
        """Each scorer's scores of the rows (decoded columns)."""
        n_rows = len(columns[0])
        with torch.inference_mode():
            if self.numeric_index:
                numeric = np.stack([columns[j] for j in self.numeric_index], dtype=np.float32)
                indicators = []
                for position, fill in zip(self.masked, self.fill, strict=True):
                    is_missing = np.isnan(numeric[position])
                    numeric[position, is_missing] = fill
                    indicators.append(torch.from_numpy(is_missing.astype(np.int64)))
                hidden = torch.addmm(self.bias, torch.from_numpy(numeric).T, self.numeric_weight)
                for is_missing, table in zip(indicators, self.indicator_weights, strict=True):
                    hidden += table[is_missing]
            else:
                hidden = self.bias.expand(n_rows, -1).clone()
            for j, categories, table in zip(
                self.categorical_index, self.categories, self.category_weights, strict=True
            ):
                codes = torch.from_numpy(categories.get_indexer(columns[j]))
                hidden += table[codes]  # -1 reads the row of zeros
            return [tail(hidden[:, rows])[:, 0] for rows, tail in self.heads]


def _linear_scorer(encoded, is_class):
    """Class-balanced logistic regression; threshold: the class's lowest real score (None)."""
    regression = LogisticRegression(class_weight="balanced", max_iter=1_000)
    # The scorer only ranks rows; an unconverged fit still ranks them, and its
    # warning would speak of a model the user never asked for.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        regression.fit(encoded.numpy(), is_class)
    layer = torch.nn.Linear(encoded.shape[1], 1, device="meta")
    layer.weight = torch.nn.Parameter(torch.as_tensor(regression.coef_, dtype=torch.float32))
    layer.bias = torch.nn.Parameter(torch.as_tensor(regression.intercept_, dtype=torch.float32))
    return torch.nn.Sequential(layer), None


def _classifier_scorer(encoded, is_class):
    """Class-balanced network of one hidden layer; threshold: even odds (logit 0)."""
    generator = torch.Generator().manual_seed(_CLASSIFIER_SEED)
    network = mlp(
        encoded.shape[1],
        (_CLASSIFIER_HIDDEN,),
        1,
        activation="relu",
        batchnorm=False,
        generator=generator,
    )
    target = torch.as_tensor(is_class, dtype=torch.float32)
    # Each class weighs half of the loss however rare it is, as in a balanced vote.
    weight = torch.where(target > 0, 0.5 / target.sum(), 0.5 / (1 - target).sum())
    optimizer = FusedAdam(network.parameters(), _CLASSIFIER_LEARNING_RATE)
    with torch.enable_grad():
        for _ in range(_CLASSIFIER_STEPS):
            logits = network(encoded)[:, 0]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, target, weight=weight, reduction="sum"
            )
            optimizer.minimise(loss)
    network.eval()
    return network, 0.0


_SCORERS = {"linear": _linear_scorer, "classifier": _classifier_scorer}
