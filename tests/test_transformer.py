"""The column transform: encoded rows decode back to the user's values."""

import numpy as np
import pytest
import torch

from imblearn_deepgen._transformer import TabularTransformer


def _columns(n_rows=300, seed=0):
    rng = np.random.RandomState(seed)
    return [
        rng.lognormal(size=n_rows),
        rng.randint(-5, 40, size=n_rows),
        rng.choice(np.array(["a", "b", "c"], dtype=object), size=n_rows),
    ]


def _fitted(method):
    columns = _columns()
    transformer = TabularTransformer(["numeric", "integer", "categorical"], method)
    return transformer.fit(columns), columns


def _split(encoded, transformer):
    """The encoded matrix as decode() takes it: numeric block and category positions."""
    n_numeric = transformer.output_spans_.n_numeric
    encoded = torch.from_numpy(encoded)
    return encoded[:, :n_numeric], [encoded[:, n_numeric:].argmax(dim=1)]


@pytest.mark.parametrize("method", ["quantile", "standard", "minmax"])
def test_encoded_rows_decode_to_their_values(method):
    transformer, columns = _fitted(method)
    decoded = transformer.decode(*_split(transformer.transform(columns), transformer))
    span = columns[0].max() - columns[0].min()
    np.testing.assert_allclose(
        decoded[0], columns[0], atol=1e-2 * span
    )  # the decoding grid, not the knots
    np.testing.assert_array_equal(decoded[1], columns[1])
    np.testing.assert_array_equal(decoded[2], columns[2])


@pytest.mark.parametrize("method", ["quantile", "standard", "minmax"])
def test_scores_beyond_the_seen_range_decode_to_its_bounds(method):
    transformer, columns = _fitted(method)
    numeric = torch.tensor([[-1e6, -1e6], [1e6, 1e6]], dtype=torch.float32)
    decoded = transformer.decode(numeric, [torch.tensor([0, 1])])
    assert decoded[0].tolist() == [columns[0].min(), columns[0].max()]
    assert decoded[1].tolist() == [columns[1].min(), columns[1].max()]


def test_column_major_output_decodes_like_row_major():
    transformer, columns = _fitted("quantile")
    numeric, codes = _split(transformer.transform(columns), transformer)
    column_major = numeric.T.contiguous().T
    assert not column_major.is_contiguous()
    for expected, got in zip(
        transformer.decode(numeric, codes), transformer.decode(column_major, codes), strict=True
    ):
        np.testing.assert_array_equal(got, expected)
