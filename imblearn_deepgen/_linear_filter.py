"""The linear filter that rejects generated rows lying beyond their class's real rows.

A linear classifier trained on rows with synthetic ones added must place its
boundary so as to account for every synthetic row. A generated row that a
linear scorer of the real rows ranks as less typical of its class than every
real row of the class pulls that boundary toward the other classes. Rows
interpolated between real rows of a class, as SMOTE's are, never do: a linear
score of a convex combination lies between the scores of the rows combined.
The filter asks the same of generated rows, for one linear scorer.
"""

import math
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from ._transformer import TabularTransformer

# Rows of each class the scorer is fitted on: bounds its cost on large tables.
# Larger classes contribute an evenly spaced subset (no random draw, so the
# filter leaves the sampler's random stream untouched).
MAX_ROWS_PER_CLASS = 10_000


class LinearFilter:
    """Per filtered class, a class-balanced logistic regression of it against the others.

    Rows are encoded as standardised numeric columns and one-hot categories.
    A generated row is accepted for a class when its score is at least the
    lowest score of the class's real rows.
    """

    # The sampler option that turns this filter on, and its value that turns it off.
    parameter, off_value = "filter_linear", False

    def fit(self, table, y, class_labels):
        """Fit a scorer and threshold on the real rows for each of ``class_labels``."""
        y = np.asarray(y)
        kept = [_evenly_spaced(np.flatnonzero(y == label)) for label in np.unique(y)]
        rows = np.sort(np.concatenate(kept))
        columns = [column[rows] for column in table.columns]
        self.transformer_ = TabularTransformer(table.kinds, "standard").fit(columns)
        encoded, y = self.transformer_.transform(columns), y[rows]
        self.scorers_, self.thresholds_ = {}, {}
        for label in class_labels:
            is_class = y == label
            scorer = LogisticRegression(class_weight="balanced", max_iter=1_000)
            # The scorer only ranks rows; an unconverged fit still ranks them,
            # and its warning would speak of a model the user never asked for.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                scorer.fit(encoded, is_class)
            self.scorers_[label] = scorer
            self.thresholds_[label] = scorer.decision_function(encoded[is_class]).min()
        return self

    def accepts(self, columns, class_label):
        """Boolean mask of the generated rows (decoded columns) that stay within the class."""
        scores = self.scorers_[class_label].decision_function(self.transformer_.transform(columns))
        return scores >= self.thresholds_[class_label]


def _evenly_spaced(rows):
    if len(rows) <= MAX_ROWS_PER_CLASS:
        return rows
    return rows[:: math.ceil(len(rows) / MAX_ROWS_PER_CLASS)]
