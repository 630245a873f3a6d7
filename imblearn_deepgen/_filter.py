"""The neighbour vote that rejects generated rows looking like another class.

A generative model trained on a few dozen rows spreads some of its output into
regions where the real rows belong to other classes; a classifier trained on
such rows learns the wrong label there. The vote asks the nearest real rows
whether a generated row belongs to the class it was generated for.
"""

import numpy as np
import torch

from ._transformer import TabularTransformer

# Real rows of each class kept as voters: bounds the neighbour search on large
# tables (a uniform sample of a larger class votes for all of it).
MAX_VOTERS_PER_CLASS = 2_000

# Generated rows compared with the voters at once: bounds the distance matrix
# (1,024 x 4,000 float32 is 16 MB).
_QUERY_CHUNK = 1_024


class NeighbourVote:
    """Class-balanced vote of the nearest real rows on generated rows.

    Rows are compared in one encoding of all classes: standardised numeric
    columns (a rank-based quantile scale would close the gaps between
    clusters, which are what the vote must see) and one-hot categories. Each
    voter weighs one over its class's number of voters, so every class has
    the same total say however rare it is; a generated row is accepted for a
    class when that class's weighted vote among its ``n_neighbors`` nearest
    real rows is at least any other class's.

    Parameters
    ----------
    n_neighbors : int
        Real rows that vote on each generated row.
    """

    # The sampler option that turns this filter on, and its value that turns it off.
    parameter, off_value = "filter_neighbors", None

    def __init__(self, n_neighbors):
        self.n_neighbors = n_neighbors

    def fit(self, table, y, rng):
        """Encode the voters: every row of each class, at most ``MAX_VOTERS_PER_CLASS``."""
        self.classes_, codes = np.unique(y, return_inverse=True)
        voters = []
        for code in range(len(self.classes_)):
            rows = np.flatnonzero(codes == code)
            if len(rows) > MAX_VOTERS_PER_CLASS:
                rows = np.sort(rng.choice(rows, MAX_VOTERS_PER_CLASS, replace=False))
            voters.append(rows)
        voters = np.concatenate(voters)
        columns = [column[voters] for column in table.columns]
        self.transformer_ = TabularTransformer(table.kinds, "standard").fit(columns)
        self.voter_codes_ = codes[voters]
        self.voter_weights_ = 1.0 / np.bincount(self.voter_codes_)[self.voter_codes_]
        self.voters_ = torch.from_numpy(self.transformer_.transform(columns))
        return self

    def _nearest(self, encoded):
        """Indices of each row's nearest voters (brute force: a matrix product per chunk)."""
        k = min(self.n_neighbors, len(self.voters_))
        rows = torch.from_numpy(encoded)
        return np.concatenate(
            [
                torch.cdist(chunk, self.voters_).topk(k, dim=1, largest=False).indices.numpy()
                for chunk in rows.split(_QUERY_CHUNK)
            ]
        )

    def accepts(self, columns, class_label):
        """Boolean mask of the generated rows (decoded columns) the vote gives to the class."""
        nearest = self._nearest(self.transformer_.transform(columns))
        weights, codes = self.voter_weights_[nearest], self.voter_codes_[nearest]
        votes = np.stack(
            [(weights * (codes == code)).sum(axis=1) for code in range(len(self.classes_))],
            axis=1,
        )
        own = int(np.flatnonzero(self.classes_ == class_label)[0])
        return votes[:, own] >= votes.max(axis=1)
