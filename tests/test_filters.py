"""filters: generated rows a scorer of the real rows places outside their class are redrawn."""

import numpy as np
import pandas as pd
import pytest
import torch

from imblearn_deepgen._columns import ColumnTable
from imblearn_deepgen._filters import _SCORERS, RowFilter
from imblearn_deepgen._generation import MAX_DRAWS_PER_ROW, generate_into
from imblearn_deepgen._networks import Generator
from imblearn_deepgen._transformer import TabularTransformer

from .conftest import tiny_gan, tiny_vae


def _two_blobs(n_major=200, n_minor=20, seed=0):
    """The minority around (+3, +3), the majority around (-3, -3)."""
    rng = np.random.RandomState(seed)
    X = np.vstack([rng.normal(-3.0, 1.0, (n_major, 2)), rng.normal(3.0, 1.0, (n_minor, 2))])
    return X, np.repeat([0, 1], [n_major, n_minor])


def _band(n_major=200, n_minor=20, seed=0):
    """The minority along the line x1 + x2 = 0, the majority around (-4, -4).

    The minority's range holds the corner (-3, -3), toward the majority: a
    generator producing the right values column by column but not their
    relation puts rows there.
    """
    rng = np.random.RandomState(seed)
    t = rng.uniform(-3.0, 3.0, n_minor)
    minority = np.column_stack([t, -t]) + rng.normal(0.0, 0.2, (n_minor, 2))
    X = np.vstack([rng.normal(-4.0, 1.0, (n_major, 2)), minority])
    return X, np.repeat([0, 1], [n_major, n_minor])


def _checkerboard(n_per_blob=100, seed=0):
    """Minority blobs at (3, 3) and (-3, -3), majority blobs at (3, -3) and (-3, 3).

    Synthetic values stay within the minority's range, which here holds the
    majority blobs too, and no linear score tells the blobs apart: only the
    classifier keeps rows out of the majority's blobs.
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


def _fit(X, y, names, labels=None):
    table = ColumnTable.from_input(X)
    return RowFilter(names).fit(table, y, np.unique(y) if labels is None else labels)


def test_linear_rejects_rows_toward_another_class_and_keeps_rows_beyond_the_class():
    X, y = _two_blobs()
    linear = _fit(X, y, ("linear",))
    # (0, 0) lies in the gap between the blobs, nearer the boundary than any
    # real row of either class; (9, 9) lies far out on the minority's side.
    candidates = [np.array([0.0, 9.0, -3.0]), np.array([0.0, 9.0, -3.0])]
    assert linear.accepts(candidates, 1).tolist() == [False, True, False]
    assert linear.accepts(candidates, 0).tolist() == [False, False, True]


def test_classifier_rejects_rows_among_another_class():
    X, y = _checkerboard()
    classifier = _fit(X, y, ("classifier",), [1])
    centres = np.array([(3.0, 3.0), (-3.0, -3.0), (3.0, -3.0), (-3.0, 3.0)])
    assert classifier.accepts(list(centres.T), 1).tolist() == [True, True, False, False]


def test_classifier_weighs_classes_equally():
    # Twenty minority rows against two hundred majority rows that overlap them
    # half-way: a balanced scorer still gives the minority's own centre to it.
    rng = np.random.RandomState(0)
    X = np.r_[rng.normal(0.0, 1.0, (200, 1)), rng.normal(1.5, 0.5, (20, 1))]
    y = np.repeat([0, 1], [200, 20])
    classifier = _fit(X, y, ("classifier",), [1])
    assert classifier.accepts([np.array([1.5, -2.0])], 1).tolist() == [True, False]


def test_every_real_row_passes_the_linear_filter_for_its_own_class():
    rng = np.random.RandomState(1)
    X = rng.standard_normal((150, 4))
    y = rng.choice(["a", "b", "c"], size=150, p=[0.6, 0.3, 0.1])
    linear = _fit(X, y, ("linear",))
    for label in ("a", "b", "c"):
        assert linear.accepts(list(X[y == label].T), label).all()


def test_scores_on_decoded_columns_equal_scores_on_the_reference_encoding():
    # The scorers run with the standardisation and one-hot lookups folded into
    # their first layers; the masks must equal those of the unfolded networks.
    rng = np.random.RandomState(0)
    frame = pd.DataFrame(
        {
            "colour": rng.choice(["red", "blue", "green"], 300),
            "size": rng.lognormal(size=300),
            "weight": rng.normal(5.0, 2.0, 300),
        }
    )
    y = (frame["size"] + (frame["colour"] == "blue") + rng.normal(0, 0.5, 300) > 2.0).astype(int)
    y = y.to_numpy()
    table = ColumnTable.from_input(frame)
    row_filter = RowFilter(("linear", "classifier")).fit(table, y, [1])
    candidates = ColumnTable.from_input(
        pd.DataFrame(
            {
                "colour": rng.choice(["red", "blue", "green"], 500),
                "size": rng.lognormal(size=500) * 1.5,
                "weight": rng.normal(5.0, 3.0, 500),
            }
        )
    )
    encoding = TabularTransformer(table.kinds, "standard").fit(list(table.columns))
    reference = torch.from_numpy(encoding.transform(list(table.columns)))
    encoded = torch.from_numpy(encoding.transform(list(candidates.columns)))
    expected = np.ones(500, dtype=bool)
    for name in ("linear", "classifier"):
        network, threshold = _SCORERS[name](reference, y == 1)
        with torch.no_grad():
            scores = network(encoded)[:, 0].numpy()
            if threshold is None:  # the lowest score of the class's real rows
                threshold = network(reference[y == 1])[:, 0].min().item()
        expected &= scores >= threshold
    assert 0.1 < expected.mean() < 0.9  # the candidates test both outcomes
    np.testing.assert_array_equal(row_filter.accepts(list(candidates.columns), 1), expected)


def test_a_category_missing_from_the_reference_rows_scores_as_none():
    frame = pd.DataFrame(
        {"colour": ["red"] * 100 + ["blue"] * 10, "size": np.r_[[0.0] * 100, [1.0] * 10]}
    )
    y = np.repeat([0, 1], [100, 10])
    row_filter = _fit(frame, y, ("linear",), [1])
    assert list(row_filter.scorers_) == [1]  # only the classes to filter get scorers
    candidates = [np.array(["blue", "red", "purple"], dtype=object), np.array([1.0, 0.0, 1.0])]
    assert row_filter.accepts(candidates, 1).tolist()[:2] == [True, False]
    # An unseen category adds nothing to the score: blue's part is the whole gap.
    scorers = row_filter.scorers_[1]
    (scores,) = scorers.scores(candidates)
    blue = scorers.category_weights[0][scorers.categories[0].get_loc("blue"), 0]
    assert (scores[0] - scores[2]).item() == pytest.approx(blue.item(), rel=1e-5)


def _network_and_transformer(n_rows=100):
    generator = torch.Generator().manual_seed(0)
    network = Generator(2, (8,), 2, generator=generator)
    rows = np.random.RandomState(0).standard_normal((n_rows, 2))
    transformer = TabularTransformer(["numeric", "numeric"], "standard").fit(list(rows.T))
    return network, transformer, generator


def _generate(n_rows, accept, seed=0):
    network, transformer, _ = _network_and_transformer()
    buffer = ColumnTable.from_input(np.zeros((1, 2))).new_buffer(n_rows)
    counts = generate_into(
        buffer,
        0,
        n_rows,
        network=network,
        transformer=transformer,
        generator=torch.Generator().manual_seed(seed),
        device="cpu",
        accept=accept,
    )
    return buffer.result(), counts


def test_generation_keeps_only_accepted_rows_and_redraws_the_rest():
    out, (n_drawn, n_unfiltered) = _generate(300, lambda c: c[0] > 0)
    assert (out[:, 0] > 0).all()
    assert n_unfiltered == 0
    assert 300 < n_drawn <= MAX_DRAWS_PER_ROW * 300


def test_a_filter_changes_only_which_rows_are_kept():
    # Drawn rows are the same stream with or without a filter: the filtered
    # output is the unfiltered stream's accepted rows, in order.
    unfiltered, _ = _generate(500, None)
    filtered, _ = _generate(500, lambda c: c[0] > 0)
    accepted = unfiltered[unfiltered[:, 0] > 0]
    assert 0 < len(accepted) < 500
    np.testing.assert_array_equal(filtered[: len(accepted)], accepted)


def test_generation_gives_up_filtering_after_its_budget():
    out, (n_drawn, n_unfiltered) = _generate(40, lambda c: np.zeros(len(c[0]), dtype=bool))
    assert n_unfiltered == 40
    assert n_drawn == MAX_DRAWS_PER_ROW * 40 + 40
    assert np.isfinite(out).all()


@pytest.mark.parametrize("make", [tiny_gan, tiny_vae], ids=["gan", "vae"])
def test_classifier_keeps_undertrained_models_out_of_the_majority(make):
    # Five training steps leave the networks generating far outside the class.
    X, y = _checkerboard()
    n = len(y)
    X_off, _ = make(filters=None).fit_resample(X, y)
    X_on, y_on = make(filters="classifier").fit_resample(X, y)
    assert np.bincount(y_on).tolist() == [200, 200]
    np.testing.assert_array_equal(X_on[:n], X)
    assert _share_in_majority_blobs(X_off[n:]) > 0.1
    assert _share_in_majority_blobs(X_on[n:]) == 0.0


@pytest.mark.parametrize("make", [tiny_gan, tiny_vae], ids=["gan", "vae"])
def test_linear_filtered_rows_all_score_at_least_the_least_typical_real_row(make):
    X, y = _band()
    n = len(y)
    linear = _fit(X, y, ("linear",))
    X_off, _ = make(filters=None, conditional=False).fit_resample(X, y)
    X_on, y_on = make(filters="linear", conditional=False).fit_resample(X, y)
    assert np.bincount(y_on).tolist() == [200, 200]
    np.testing.assert_array_equal(X_on[:n], X)
    assert not linear.accepts(list(X_off[n:].T), 1).all()
    assert linear.accepts(list(X_on[n:].T), 1).all()


@pytest.mark.parametrize("conditional", [False, True], ids=["per-class", "conditional"])
@pytest.mark.parametrize("make", [tiny_gan, tiny_vae], ids=["gan", "vae"])
def test_filtered_rows_are_the_unfiltered_fits_accepted_rows(make, conditional):
    # The filters draw nothing from the sampler's random stream: the same
    # network generates the same rows, of which the filters keep some.
    X, y = _two_blobs()
    n, n_new = len(y), 180
    X_off, _ = make(filters=None, conditional=conditional).fit_resample(X, y)
    sampler = make(filters="linear", conditional=conditional)
    X_on, _ = sampler.fit_resample(X, y)
    kept = sampler._row_filter.accepts(list(X_off[n:].T), 1)
    assert not kept.all()
    np.testing.assert_array_equal(X_on[n : n + kept.sum()], X_off[n:][kept][:n_new])


def test_sample_is_filtered_too():
    X, y = _checkerboard()
    sampler = tiny_gan(filters="classifier")
    sampler.fit_resample(X, y)
    assert _share_in_majority_blobs(sampler.sample(500)) == 0.0


def test_a_row_must_pass_every_filter():
    X, y = _checkerboard()
    candidates = list(np.random.RandomState(1).uniform(-5.0, 5.0, (2, 400)))
    linear = _fit(X, y, ("linear",), [1]).accepts(candidates, 1)
    classifier = _fit(X, y, ("classifier",), [1]).accepts(candidates, 1)
    both = _fit(X, y, ("linear", "classifier"), [1]).accepts(candidates, 1)
    assert (linear != classifier).any()  # the two filters disagree on some rows
    np.testing.assert_array_equal(both, linear & classifier)


def test_exhausted_filters_warn_and_still_return_every_row(monkeypatch):
    monkeypatch.setattr(
        RowFilter, "accepts", lambda self, columns, label: np.zeros(len(columns[0]), bool)
    )
    X, y = _two_blobs()
    frame = pd.DataFrame(X, columns=["a", "b"])
    # The label as the user wrote it (1), not as numpy prints it (np.int64(1)).
    with pytest.warns(UserWarning, match=r"class 1 passed the filters .*filters=None"):
        X_res, y_res = tiny_vae(filters="linear").fit_resample(frame, y)
    assert len(X_res) == 400
    pd.testing.assert_frame_equal(X_res.iloc[:220], frame)


@pytest.mark.parametrize("filters", [None, "linear", ["classifier"], ("linear", "classifier")])
def test_filters_take_a_name_or_a_sequence_of_names(filters):
    X, y = _two_blobs()
    sampler = tiny_gan(filters=filters)
    sampler.fit_resample(X, y)
    if filters is None:
        assert sampler._row_filter is None
    else:
        expected = (filters,) if isinstance(filters, str) else tuple(filters)
        assert sampler._row_filter.names == expected


@pytest.mark.parametrize("bad", ["vote", ("linear", "linear"), ("linear", 5), 5, True])
def test_filters_are_validated(bad):
    X, y = _two_blobs()
    with pytest.raises((ValueError, TypeError), match="filters"):
        tiny_gan(filters=bad).fit_resample(X, y)
