"""filter_neighbors: generated rows the nearest real rows give to another class are redrawn."""

import numpy as np
import pandas as pd
import pytest
import torch

from imblearn_deepgen import _filter
from imblearn_deepgen._columns import ColumnTable
from imblearn_deepgen._filter import NeighbourVote
from imblearn_deepgen._generation import MAX_DRAWS_PER_ROW, generate_into
from imblearn_deepgen._networks import Generator
from imblearn_deepgen._transformer import TabularTransformer

from .conftest import tiny_gan, tiny_vae


def _two_blobs(n_major=200, n_minor=20, seed=0):
    """The minority around (+3, +3), the majority around (-3, -3)."""
    rng = np.random.RandomState(seed)
    X = np.vstack([rng.normal(-3.0, 1.0, (n_major, 2)), rng.normal(3.0, 1.0, (n_minor, 2))])
    return X, np.repeat([0, 1], [n_major, n_minor])


def _vote(X, y, n_neighbors=5):
    return NeighbourVote(n_neighbors).fit(ColumnTable.from_input(X), y, np.random.RandomState(0))


def test_vote_accepts_rows_among_the_class_and_rejects_rows_among_others():
    X, y = _two_blobs()
    vote = _vote(X, y)
    candidates = [np.array([3.0, -3.0]), np.array([3.0, -3.0])]  # (3, 3) and (-3, -3)
    assert vote.accepts(candidates, 1).tolist() == [True, False]
    assert vote.accepts(candidates, 0).tolist() == [False, True]


def test_vote_weighs_classes_equally():
    # One minority row among four majority rows: 1/20 of the minority's say
    # outweighs 4/200 of the majority's, so the minority wins the vote there.
    X = np.array([[0.0], [0.1], [0.2], [-0.1], [-0.2], *([[50.0]] * 196), *([[9.0]] * 19)])
    y = np.repeat([1, 0, 0, 0, 0, 0, 1], [1, 1, 1, 1, 1, 195, 19])
    vote = _vote(X, y)
    assert vote.accepts([np.array([0.0])], 1).tolist() == [True]


def test_vote_with_three_classes_goes_to_the_strongest_class():
    rng = np.random.RandomState(0)
    centres = np.array([[-5.0, 0.0], [0.0, 5.0], [5.0, 0.0]])
    X = np.vstack(
        [rng.normal(c, 0.5, (n, 2)) for c, n in zip(centres, (100, 30, 10), strict=True)]
    )
    y = np.repeat(["a", "b", "c"], (100, 30, 10))
    vote = _vote(X, y)
    candidates = list(centres.T)
    assert vote.accepts(candidates, "b").tolist() == [False, True, False]
    assert vote.accepts(candidates, "c").tolist() == [False, False, True]


def test_large_classes_vote_through_a_sample(monkeypatch):
    monkeypatch.setattr(_filter, "MAX_VOTERS_PER_CLASS", 50)
    X, y = _two_blobs(n_major=300, n_minor=20)
    vote = _vote(X, y)
    assert np.bincount(vote.voter_codes_).tolist() == [50, 20]
    # Each class keeps its equal say: its voters' weights sum to one.
    for code in (0, 1):
        assert vote.voter_weights_[vote.voter_codes_ == code].sum() == pytest.approx(1.0)


def _network_and_transformer(n_rows=100):
    generator = torch.Generator().manual_seed(0)
    network = Generator(2, (8,), 2, batchnorm=False, generator=generator)
    rows = np.random.RandomState(0).standard_normal((n_rows, 2))
    transformer = TabularTransformer(["numeric", "numeric"], "standard").fit(list(rows.T))
    return network, transformer, generator


def test_generation_keeps_only_accepted_rows_and_redraws_the_rest():
    network, transformer, generator = _network_and_transformer()
    buffer = ColumnTable.from_input(np.zeros((1, 2))).new_buffer(300)
    n_drawn, n_unfiltered = generate_into(
        buffer,
        0,
        300,
        network=network,
        transformer=transformer,
        generator=generator,
        device="cpu",
        accept=lambda c: c[0] > 0,
    )
    out = buffer.result()
    assert (out[:, 0] > 0).all()
    assert n_unfiltered == 0
    assert 300 < n_drawn <= MAX_DRAWS_PER_ROW * 300


def test_generation_gives_up_filtering_after_its_budget():
    network, transformer, generator = _network_and_transformer()
    buffer = ColumnTable.from_input(np.zeros((1, 2))).new_buffer(40)
    n_drawn, n_unfiltered = generate_into(
        buffer,
        0,
        40,
        network=network,
        transformer=transformer,
        generator=generator,
        device="cpu",
        accept=lambda c: np.zeros(len(c[0]), dtype=bool),
    )
    assert n_unfiltered == 40
    assert n_drawn == MAX_DRAWS_PER_ROW * 40 + 40
    assert np.isfinite(buffer.result()).all()


def _checkerboard(n_per_blob=100, seed=0):
    """Minority blobs at (3, 3) and (-3, -3), majority blobs at (3, -3) and (-3, 3).

    Synthetic values stay within the minority's range, which here holds the
    majority blobs too: only the vote keeps rows out of them.
    """
    rng = np.random.RandomState(seed)
    centres = [(3, -3), (-3, 3), (3, 3), (-3, -3)]
    sizes = [n_per_blob, n_per_blob, n_per_blob // 10, n_per_blob // 10]
    X = np.vstack([rng.normal(c, 0.7, (n, 2)) for c, n in zip(centres, sizes, strict=True)])
    return X, np.repeat([0, 0, 1, 1], sizes)


def _share_in_majority_blobs(X_new):
    """Share of synthetic rows within 1.5 of a majority blob's centre (dense in majority)."""
    gaps = [np.linalg.norm(X_new - np.array(centre), axis=1) for centre in [(3, -3), (-3, 3)]]
    return float(np.mean(np.minimum(*gaps) < 1.5))


@pytest.mark.parametrize("make", [tiny_gan, tiny_vae], ids=["gan", "vae"])
def test_filter_keeps_undertrained_models_out_of_the_majority(make):
    # Five training steps leave the networks generating far outside the class.
    X, y = _checkerboard()
    n = len(y)
    X_off, _ = make(filter_neighbors=None).fit_resample(X, y)
    X_on, y_on = make(filter_neighbors=5).fit_resample(X, y)
    assert np.bincount(y_on).tolist() == [200, 200]
    np.testing.assert_array_equal(X_on[:n], X)
    assert _share_in_majority_blobs(X_off[n:]) > 0.1
    assert _share_in_majority_blobs(X_on[n:]) == 0.0


def test_sample_is_filtered_too():
    X, y = _checkerboard()
    sampler = tiny_gan(filter_neighbors=5)
    sampler.fit_resample(X, y)
    assert _share_in_majority_blobs(sampler.sample(500)) == 0.0


def test_exhausted_filter_warns_and_still_returns_every_row(monkeypatch):
    monkeypatch.setattr(
        NeighbourVote, "accepts", lambda self, columns, label: np.zeros(len(columns[0]), bool)
    )
    X, y = _two_blobs()
    frame = pd.DataFrame(X, columns=["a", "b"])
    # The label as the user wrote it (1), not as numpy prints it (np.int64(1)).
    with pytest.warns(UserWarning, match=r"class 1 passed .* filter_neighbors=None"):
        X_res, y_res = tiny_vae(filter_neighbors=5).fit_resample(frame, y)
    assert len(X_res) == 400
    pd.testing.assert_frame_equal(X_res.iloc[:220], frame)


@pytest.mark.parametrize(
    ("make", "params", "same_as"),
    [
        (tiny_gan, {}, 5),
        (tiny_gan, {"conditional": True}, 5),
        (tiny_vae, {}, None),
        (tiny_vae, {"conditional": True}, None),
    ],
    ids=["gan", "conditional-gan", "vae", "conditional-vae"],
)
def test_auto_votes_with_five_neighbours_for_the_gan_only(make, params, same_as):
    X, y = _checkerboard()
    other = 5 if same_as is None else None
    X_auto, _ = make(**params).fit_resample(X, y)
    X_same, _ = make(**params, filter_neighbors=same_as).fit_resample(X, y)
    X_other, _ = make(**params, filter_neighbors=other).fit_resample(X, y)
    np.testing.assert_array_equal(X_auto, X_same)
    assert not np.array_equal(X_auto, X_other)


@pytest.mark.parametrize("bad", [0, -1, 2.5, "5", "always"])
def test_filter_neighbors_is_validated(bad):
    X, y = _two_blobs()
    with pytest.raises(ValueError, match="filter_neighbors"):
        tiny_gan(filter_neighbors=bad).fit_resample(X, y)
