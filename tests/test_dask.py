"""Scaling out on a real Dask cluster: grid searches and the harness give the local results."""

import io

import joblib
import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import make_pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from benchmarks import cli
from benchmarks.results import read_results

from .conftest import TINY_SAMPLERS
from .test_benchmarks import _write_tiny_keel_dir

distributed = pytest.importorskip(
    "distributed", reason="the [dask] extra (dask.distributed) is not installed"
)


@pytest.fixture(scope="module")
def cluster():
    """An in-process cluster of two single-threaded workers."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as local:
        with distributed.Client(local):
            yield local


def _search(make_sampler, n_jobs):
    pipeline = make_pipeline(make_sampler(), LogisticRegression())
    grid = {f"{pipeline.steps[0][0]}__max_iter": [3, 6], "logisticregression__C": [0.1, 1.0]}
    return GridSearchCV(pipeline, grid, cv=StratifiedKFold(3), scoring="f1", n_jobs=n_jobs)


@pytest.mark.parametrize("make_sampler", TINY_SAMPLERS, ids=["gan", "vae"])
def test_a_grid_search_on_the_cluster_equals_the_serial_one(cluster, imbalanced, make_sampler):
    X, y = imbalanced
    serial = _search(make_sampler, n_jobs=1).fit(X, y)
    with joblib.parallel_config(backend="dask"):
        spread = _search(make_sampler, n_jobs=-1).fit(X, y)
    assert spread.best_params_ == serial.best_params_
    np.testing.assert_array_equal(
        spread.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )


def test_the_harness_on_the_cluster_writes_the_local_rows(cluster, tmp_path):
    data = _write_tiny_keel_dir(tmp_path / "keel")
    arguments = ["--data-dir", str(data), "--samplers", "smote", "gan:max_iter=5"]
    arguments += ["--classifiers", "lr", "--folds", "2", "--repeats", "1", "--no-progress"]
    local, remote = tmp_path / "local.csv", tmp_path / "remote.csv"
    assert cli.main([*arguments, "--output", str(local)], stdout=io.StringIO()) == 0
    command = [*arguments, "--output", str(remote), "--dask-scheduler", cluster.scheduler_address]
    assert cli.main(command, stdout=io.StringIO()) == 0
    # Everything but the timings, row for row.
    timings = ["fit_time_s"]
    expected = read_results([local]).drop(columns=timings)
    got = read_results([remote]).drop(columns=timings)
    assert len(got) == 2 * 2 * 2
    pd.testing.assert_frame_equal(got, expected)
