"""The harness reuses finished cells and reruns exactly the stale ones."""

import pandas as pd
import pytest

from benchmarks import cache as cache_module
from benchmarks import run_benchmark
from benchmarks.datasets import load_keel_dir
from benchmarks.samplers import parse_sampler_list

from .test_benchmarks import _write_tiny_keel_dir

SETTINGS = dict(classifiers=("lr",), n_folds=2, n_repeats=1, progress=False)


@pytest.fixture
def datasets(tmp_path):
    return load_keel_dir(_write_tiny_keel_dir(tmp_path / "keel"))


def _run(datasets, samplers, cache=None):
    return run_benchmark(datasets, parse_sampler_list(samplers), cache=cache, **SETTINGS)


def test_a_rerun_reuses_every_cell_and_gives_the_same_rows(datasets):
    first = _run(datasets, ["smote", "gan:max_iter=3"])
    assert first.attrs["n_reused_cells"] == 0
    assert first["cell_key"].notna().all() and first["code_version"].str.len().gt(0).all()
    again = _run(datasets, ["smote", "gan:max_iter=3"], cache=first)
    assert again.attrs["n_reused_cells"] == 2 * 2 * 2
    pd.testing.assert_frame_equal(again, first)


def test_a_changed_sampler_reruns_alone(datasets, monkeypatch):
    first = _run(datasets, ["smote", "gan:max_iter=3"])
    # Other parameters: only the GAN's cells run again.
    changed = _run(datasets, ["smote", "gan:max_iter=4"], cache=first)
    assert changed.attrs["n_reused_cells"] == 2 * 2
    # Edited library code (a new source digest): the same.
    cache_module.sampler_version.cache_clear()
    monkeypatch.setattr(cache_module, "_source_digest", lambda directory: "edited")
    try:
        edited = _run(datasets, ["smote", "gan:max_iter=3"], cache=first)
    finally:
        cache_module.sampler_version.cache_clear()
    assert edited.attrs["n_reused_cells"] == 2 * 2
    stale = edited.merge(first, on=["dataset", "sampler", "fold"], suffixes=("", "_before"))
    assert set(stale.loc[stale["cell_key"] != stale["cell_key_before"], "sampler"]) == {
        "gan:max_iter=3"
    }


def test_rows_without_a_key_or_for_other_classifiers_are_not_reused(datasets):
    first = _run(datasets, ["smote"])
    assert (
        _run(datasets, ["smote"], cache=first.drop(columns="cell_key")).attrs["n_reused_cells"]
        == 0
    )
    more = run_benchmark(
        datasets,
        parse_sampler_list(["smote"]),
        cache=first,
        **{**SETTINGS, "classifiers": ("lr", "dt")},
    )
    assert more.attrs["n_reused_cells"] == 0


def test_documentation_edits_leave_the_code_digest_alone(tmp_path):
    module = tmp_path / "module.py"
    module.write_text('"""Doc."""\n# comment\ndef f():\n    """Doc."""\n    return 1\n')
    before = cache_module._source_digest(tmp_path)
    module.write_text('"""Other doc."""\ndef f():  # other comment\n\n    return 1\n')
    assert cache_module._source_digest(tmp_path) == before
    module.write_text('"""Doc."""\ndef f():\n    return 2\n')
    assert cache_module._source_digest(tmp_path) != before
