"""Tests of the benchmark harness in ``benchmarks/`` (tiny data, a few seconds)."""

import importlib.util
import io
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from benchmarks import (
    by_class_size,
    cli,
    common_datasets,
    load_keel_dir,
    parse_sampler_list,
    rank_table,
    run_benchmark,
    summarize,
)
from benchmarks.classifiers import fit_classifier
from benchmarks.metrics import METRICS
from benchmarks.results import FAILED, NOT_APPLICABLE, OK, RESULT_COLUMNS, read_results
from benchmarks.samplers import parse_sampler_spec
from benchmarks.summary import format_summary

REPO_ROOT = Path(__file__).resolve().parents[1]
HAS_DEEPGEN = importlib.util.find_spec("imblearn_deepgen") is not None


def _write_tiny_keel_dir(directory: Path) -> Path:
    """Two tiny KEEL-layout files: a separable numeric set and a mixed set."""
    rng = np.random.default_rng(0)
    directory.mkdir(parents=True, exist_ok=True)
    # 14 minority rows: 7 per training fold with 2 folds, enough for k_neighbors=5.
    n_major, n_minor = 46, 14
    separable = pd.DataFrame(
        np.vstack([rng.normal(0, 1, (n_major, 2)), rng.normal(10, 1, (n_minor, 2))]),
        columns=["x1", "x2"],
    )
    separable["target"] = [0] * n_major + [1] * n_minor
    separable.to_csv(directory / "separable.csv", index=False)

    mixed = pd.DataFrame(
        {
            "colour": rng.choice(["red", "green", "blue"], n_major + n_minor),
            "x1": np.r_[rng.normal(0, 1, n_major), rng.normal(1, 1, n_minor)],
            "x2": rng.normal(0, 1, n_major + n_minor),
            "target": [0] * n_major + [1] * n_minor,
        }
    )
    mixed.to_csv(directory / "mixed.csv", index=False)
    return directory


@pytest.fixture
def tiny_keel_dir(tmp_path):
    return _write_tiny_keel_dir(tmp_path / "keel")


@pytest.fixture
def raising_sampler_module(tmp_path, monkeypatch):
    """An importable module whose sampler always raises."""
    module_dir = tmp_path / "modules"
    module_dir.mkdir()
    (module_dir / "raising_sampler_mod.py").write_text(
        textwrap.dedent(
            """
            class RaisingSampler:
                def __init__(self, random_state=None, strength=1):
                    self.random_state = random_state
                    self.strength = strength

                def fit_resample(self, X, y):
                    raise RuntimeError("boom")
            """
        )
    )
    monkeypatch.syspath_prepend(str(module_dir))
    return "raising_sampler_mod:RaisingSampler"


def _assert_cells_complete(results: pd.DataFrame) -> None:
    """Every row is either fully scored or a recorded failure with a message."""
    assert list(results.columns) == list(RESULT_COLUMNS)
    metrics = results[list(METRICS)]
    ok = results["status"] == OK
    assert np.isfinite(metrics[ok].to_numpy()).all()
    assert (results.loc[ok, "error"] == "").all()
    assert results["status"].isin([OK, FAILED, NOT_APPLICABLE]).all()
    assert (results.loc[~ok, "error"].str.len() > 0).all()
    assert metrics[~ok].isna().all().all()


def test_smoke_python_api(tiny_keel_dir, raising_sampler_module):
    datasets = load_keel_dir(tiny_keel_dir)
    assert [d.name for d in datasets] == ["mixed", "separable"]
    assert datasets[0].nominal_columns == ("colour",)
    assert datasets[0].X["colour"].dtype == "category"

    sampler_texts = ["none,none-tuned,ros-shrink,smote,adasyn,smotenc"]
    sampler_texts.append(f"{raising_sampler_module}:strength=2")
    if HAS_DEEPGEN:
        sampler_texts += ["gan:max_iter=5", "vae:max_iter=5"]
    specs = parse_sampler_list(sampler_texts)
    # One native thread: OpenMP pools on a loaded 2-core machine can stall for seconds.
    results = run_benchmark(
        datasets,
        specs,
        ("lr", "dt", "hgb"),
        n_folds=2,
        n_repeats=1,
        threads_per_worker=1,
        progress=False,
    )

    _assert_cells_complete(results)
    assert len(results) == len(datasets) * len(specs) * 3 * 2
    # Crashing samplers are recorded, not skipped.
    adasyn = results[(results["sampler"] == "adasyn") & (results["dataset"] == "separable")]
    assert len(adasyn) == 6
    assert (adasyn["status"] == FAILED).all()
    assert adasyn["error"].str.contains("fit_resample: RuntimeError").all()
    raising = results[results["sampler"] == f"{raising_sampler_module}:strength=2"]
    assert len(raising) == 12
    assert (raising["status"] == FAILED).all()
    assert raising["error"].str.contains("boom").all()
    # SMOTE-NC only applies to the dataset with a nominal column.
    smotenc = results[results["sampler"] == "smotenc"].groupby("dataset")["status"].unique()
    assert list(smotenc["separable"]) == [NOT_APPLICABLE]
    assert list(smotenc["mixed"]) == [OK]
    smote = results[results["sampler"] == "smote"]
    assert (smote["status"] == OK).all()
    assert (smote["n_generated"] == smote["n_train"] - 2 * smote["n_minority_train"]).all()
    none = results[results["sampler"].isin(["none", "none-tuned"])]
    assert (none["n_generated"] == 0).all()
    # Interpolated rows are new rows.
    assert (smote["copy_share"] == 0.0).all()
    assert none["copy_share"].isna().all()
    if HAS_DEEPGEN:
        deep = results[results["sampler"].isin(["gan:max_iter=5", "vae:max_iter=5"])]
        assert len(deep) == 24
        assert (deep.loc[deep["status"] == OK, "n_generated"] > 0).all()

    summary = summarize(results)
    adasyn_row = summary[(summary["sampler"] == "adasyn") & (summary["classifier"] == "lr")]
    assert set(adasyn_row["n_ok"]) == {1}
    assert set(adasyn_row["n_total"]) == {2}
    assert "adasyn" in format_summary(summary)


def test_parallel_run_matches_sequential(tiny_keel_dir):
    datasets = load_keel_dir(tiny_keel_dir)[:1]
    specs = parse_sampler_list(["none,smote"])
    kwargs = dict(classifiers=("lr",), n_folds=2, n_repeats=1, progress=False)
    sequential = run_benchmark(datasets, specs, **kwargs)
    parallel = run_benchmark(datasets, specs, n_jobs=2, **kwargs)
    columns = ["dataset", "sampler", "classifier", "repeat", "fold", *METRICS]
    pd.testing.assert_frame_equal(sequential[columns], parallel[columns])


def test_untunable_threshold_falls_back_to_the_default_threshold():
    # Constant features give constant scores: TunedThresholdClassifierCV refuses them.
    X, y = np.zeros((60, 2)), np.repeat([0, 1], [50, 10])
    classifier = fit_classifier("dt", 0, True, X, y)
    assert type(classifier).__name__ == "DecisionTreeClassifier"
    assert (classifier.predict(X) == 0).all()
    X_informative = np.c_[y + np.linspace(0.0, 0.5, 60), np.linspace(0.0, 1.0, 60)]
    tuned = fit_classifier("dt", 0, True, X_informative, y)
    assert type(tuned).__name__ == "TunedThresholdClassifierCV"
    with pytest.raises(ValueError, match="pos_label"):  # other errors still surface
        fit_classifier("dt", 0, True, X, np.zeros(60))


def test_cli_help_through_module_entry():
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--help"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    for option in ["--data-dir", "--creditcard", "--samplers", "--summary", "--n-jobs", "--plot"]:
        assert option in completed.stdout


def test_cli_run_then_summary_without_running(tiny_keel_dir, tmp_path, monkeypatch):
    output = tmp_path / "results.csv"
    run_text = io.StringIO()
    status = cli.main(
        [
            "--data-dir",
            str(tiny_keel_dir),
            "--datasets",
            "mixed",
            "--samplers",
            "none,smote",
            "ros",
            "--classifiers",
            "lr,dt",
            "--folds",
            "2",
            "--repeats",
            "1",
            "--output",
            str(output),
            "--no-progress",
        ],
        stdout=run_text,
    )
    assert status == 0
    saved = read_results([output])
    assert len(saved) == 1 * 3 * 2 * 2
    _assert_cells_complete(saved)
    # Random oversampling only copies training rows.
    assert (saved.loc[saved["sampler"] == "ros", "copy_share"] == 1.0).all()
    # Files written before copy_share existed still read.
    older = tmp_path / "older.csv"
    saved.drop(columns="copy_share").to_csv(older, index=False)
    assert read_results([older])["copy_share"].isna().all()
    # Recorded runs ship compressed; they read back unchanged.
    compressed = tmp_path / "saved.csv.gz"
    saved.to_csv(compressed, index=False)
    pd.testing.assert_frame_equal(read_results([compressed]), saved)

    def must_not_run(*args, **kwargs):
        raise AssertionError("--summary must not run the benchmark")

    monkeypatch.setattr(cli, "run_benchmark", must_not_run)
    summary_text = io.StringIO()
    figures = tmp_path / "figures"
    rank_csv = tmp_path / "ranks.csv"
    status = cli.main(
        ["--summary", str(output), "--plot", str(figures), "--table", str(rank_csv)],
        stdout=summary_text,
    )
    assert status == 0
    ranks = pd.read_csv(rank_csv)
    assert len(ranks) == 2 * 3 and set(ranks["sampler"]) == {"none", "smote", "ros"}
    table = summary_text.getvalue().split("\n\nwrote")[0]
    assert "classifier lr" in table and "classifier dt" in table
    assert table in run_text.getvalue()
    assert (figures / "mean_rank_lr.png").exists()


def _hand_made_results() -> pd.DataFrame:
    """Three datasets, two folds, classifier lr; every metric equals ``value``."""
    fold_values = {
        # dataset: {sampler: (fold 0, fold 1)}; None marks a failed fold.
        "d1": {"smote": (0.5, 0.7), "a": (0.8, 0.8), "b": (0.6, 0.6)},
        "d2": {"smote": (0.4, 0.4), "a": (0.3, 0.3), "b": (0.9, None)},
        "d3": {"smote": (0.5, 0.5), "a": (0.5005, 0.5005), "b": (0.2, 0.2)},
    }
    rows = []
    for dataset, by_sampler in fold_values.items():
        for sampler, values in by_sampler.items():
            for fold, value in enumerate(values):
                failed = value is None
                rows.append(
                    {
                        "dataset": dataset,
                        "sampler": sampler,
                        "classifier": "lr",
                        "repeat": 0,
                        "fold": fold,
                        "status": FAILED if failed else OK,
                        "error": "fit_resample: ValueError: boom" if failed else "",
                        **dict.fromkeys(METRICS, np.nan if failed else value),
                        "fit_time_s": {"smote": 1.0, "a": 2.0, "b": 3.0}[sampler] + fold,
                    }
                )
        # A sampler that does not apply to d1 and d3 and failed on d2.
        for fold in (0, 1):
            status = FAILED if dataset == "d2" else NOT_APPLICABLE
            rows.append(
                {
                    "dataset": dataset,
                    "sampler": "c",
                    "classifier": "lr",
                    "repeat": 0,
                    "fold": fold,
                    "status": status,
                    "error": "something",
                    **dict.fromkeys(METRICS, np.nan),
                }
            )
    return pd.DataFrame(rows).reindex(columns=list(RESULT_COLUMNS))


def test_summary_on_hand_made_table():
    summary = summarize(_hand_made_results()).set_index(["sampler", "metric"])
    recall = summary.xs("recall", level="metric")

    # d1: a 0.8 > smote 0.6 = b 0.6; d2: smote 0.4 > a 0.3 (b failed a fold);
    # d3: a 0.5005 > smote 0.5 > b 0.2.
    assert recall.loc["smote", "mean_rank"] == pytest.approx((2.5 + 1 + 2) / 3)
    assert recall.loc["a", "mean_rank"] == pytest.approx((1 + 2 + 1) / 3)
    assert recall.loc["b", "mean_rank"] == pytest.approx((2.5 + 3) / 2)
    assert np.isnan(recall.loc["c", "mean_rank"])
    assert recall.loc["smote", "mean"] == pytest.approx(0.5)
    assert recall.loc["a", "mean"] == pytest.approx((0.8 + 0.3 + 0.5005) / 3)
    assert recall.loc["b", "mean"] == pytest.approx(0.4)

    # Within 0.001 is a tie: a vs smote is +0.2, -0.1, +0.0005.
    assert recall.loc["a", ["wins", "ties", "losses", "n_pairs"]].tolist() == [1, 1, 1, 3]
    assert recall.loc["b", ["wins", "ties", "losses", "n_pairs"]].tolist() == [0, 1, 1, 2]
    assert recall[["wins", "ties", "losses"]].loc["smote"].isna().all()
    assert recall["p_wilcoxon"].isna().all()  # fewer than 5 paired datasets

    assert recall["n_ok"].to_dict() == {"smote": 3, "a": 3, "b": 2, "c": 0}
    assert recall["n_total"].to_dict() == {"smote": 3, "a": 3, "b": 3, "c": 1}
    assert recall.loc["a", "median_fit_time_s"] == pytest.approx(2.5)
    # Every metric got the same values, so every metric has the same summary.
    assert summary.xs("roc_auc", level="metric")["mean_rank"].equals(recall["mean_rank"])

    text = format_summary(summarize(_hand_made_results()))
    assert "1/1/1" in text and "2/3" in text and "0/1" in text


def test_common_datasets_leave_out_every_dataset_a_sampler_failed_on(tmp_path):
    results = _hand_made_results()
    kept = common_datasets(results)
    # b failed a fold of d2 and c failed there; c's not-applicable d1 and d3 stay.
    assert sorted(kept["dataset"].unique()) == ["d1", "d3"]
    recall = summarize(kept).set_index(["sampler", "metric"]).xs("recall", level="metric")
    assert recall.loc["smote", "mean"] == pytest.approx((0.6 + 0.5) / 2)
    assert recall.loc["b", "mean"] == pytest.approx((0.6 + 0.2) / 2)
    assert recall.loc["a", "mean_rank"] == pytest.approx(1.0)
    assert recall["n_ok"].to_dict() == {"smote": 2, "a": 2, "b": 2, "c": 0}

    path = tmp_path / "results.csv"
    results.to_csv(path, index=False)
    text = io.StringIO()
    assert cli.main(["--summary", str(path), "--common"], stdout=text) == 0
    assert "common datasets: 2 of 3 (left out, a sampler failed there: d2)" in text.getvalue()
    assert format_summary(summarize(kept)) in text.getvalue()


def test_rank_table_is_the_summary_in_wide_form():
    summary = summarize(_hand_made_results())
    table = rank_table(summary).set_index(["classifier", "sampler"])
    assert list(table.columns) == [
        f"{name}_{kind}" for name in ("f1", "gmean", "pr_auc", "rec") for kind in ("rank", "mean")
    ]
    recall = summary[summary["metric"] == "recall"].set_index(["classifier", "sampler"])
    assert table["rec_rank"].equals(recall["mean_rank"].round(2))
    assert table["f1_mean"].equals(
        summary[summary["metric"] == "f1"].set_index(["classifier", "sampler"])["mean"].round(3)
    )


def test_class_size_groups_split_the_datasets_by_minority_training_rows(tmp_path):
    results = _hand_made_results()
    results["n_minority_train"] = results["dataset"].map({"d1": 10, "d2": 30, "d3": 100})
    groups = by_class_size(results, [12, 48])
    assert [label for label, _ in groups] == [
        "minority class of at most 12 training rows (1 dataset)",
        "minority class of 13 to 48 training rows (1 dataset)",
        "minority class of more than 48 training rows (1 dataset)",
    ]
    assert [sorted(rows["dataset"].unique()) for _, rows in groups] == [["d1"], ["d2"], ["d3"]]
    # Empty groups are left out; one edge below every class puts all in the last group.
    ((label, rows),) = by_class_size(results, [5])
    assert label.startswith("minority class of more than 5") and len(rows) == len(results)
    for bad in ([], [0, 12], [24, 12]):
        with pytest.raises(ValueError, match="increasing positive integers"):
            by_class_size(results, bad)

    path = tmp_path / "results.csv"
    results.to_csv(path, index=False)
    text = io.StringIO()
    assert cli.main(["--summary", str(path), "--by-class-size", "12,48"], stdout=text) == 0
    _, after = text.getvalue().split("minority class of 13 to 48 training rows (1 dataset)")
    group_table = rank_table(summarize(results[results["dataset"] == "d2"]))
    assert group_table.to_string(index=False) in after
    with pytest.raises(SystemExit):
        cli.main(["--summary", str(path), "--by-class-size", "12,x"])


def test_wilcoxon_p_value_against_baseline():
    differences = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    rows = []
    for index, difference in enumerate(differences):
        for sampler, value in (("smote", 0.2), ("x", 0.2 + difference)):
            rows.append(
                {
                    "dataset": f"d{index}",
                    "sampler": sampler,
                    "classifier": "dt",
                    "repeat": 0,
                    "fold": 0,
                    "status": OK,
                    "error": "",
                    **dict.fromkeys(METRICS, value),
                }
            )
    summary = summarize(pd.DataFrame(rows).reindex(columns=list(RESULT_COLUMNS)))
    row = summary[(summary["sampler"] == "x") & (summary["metric"] == "f1")].iloc[0]
    assert (row["wins"], row["ties"], row["losses"]) == (6, 0, 0)
    # Exact two-sided signed-rank test: only 2 of the 2**6 sign patterns are as extreme.
    assert row["p_wilcoxon"] == pytest.approx(2 / 64)
    assert row["mean_rank"] == 1.0


def test_sampler_spec_syntax():
    specs = parse_sampler_list(
        [
            "smote,gan:max_iter=50,batch_size=32,vae",
            "imblearn.over_sampling:SVMSMOTE:k_neighbors=3",
        ]
    )
    assert [s.label for s in specs] == [
        "smote",
        "gan:max_iter=50,batch_size=32",
        "vae",
        "imblearn.over_sampling:SVMSMOTE:k_neighbors=3",
    ]
    assert specs[1].params == {"max_iter": 50, "batch_size": 32}
    assert specs[3].target == "imblearn.over_sampling:SVMSMOTE"
    spec = parse_sampler_spec("smote:sampling_strategy={1: 40},k_neighbors=3")
    assert spec.params == {"sampling_strategy": {1: 40}, "k_neighbors": 3}
    assert parse_sampler_spec("ros-shrink").params == {"shrinkage": 1.0}
    assert parse_sampler_spec("mod:Cls:_input=frame,kind=fast").input_kind == "frame"
    assert parse_sampler_spec("mod:Cls:_input=frame,kind=fast").params == {"kind": "fast"}
    with pytest.raises(ValueError):
        parse_sampler_spec("not-a-sampler")
    with pytest.raises(ValueError):
        parse_sampler_spec("none:k=1")


def test_keel_loader_reads_nominal_columns_from_manifest(tmp_path):
    frame = pd.DataFrame(
        {"flag": [0, 1, 0, 1], "size": ["s", "m", "l", "s"], "x": [0.1, 0.2, 0.3, 0.4]}
    )
    frame["target"] = [0, 0, 1, 0]
    frame.to_csv(tmp_path / "coded.csv.gz", index=False)
    frame.to_csv(tmp_path / "inferred.csv", index=False)
    pd.DataFrame({"name": ["coded"], "nominal_columns": ["flag;size"]}).to_csv(
        tmp_path / "manifest.csv", index=False
    )
    coded, inferred = load_keel_dir(tmp_path)
    # The manifest marks the 0/1 column as nominal; without it only strings are nominal.
    assert coded.nominal_columns == ("flag", "size")
    assert inferred.nominal_columns == ("size",)
    assert list(coded.X["flag"].cat.categories) == ["0", "1"]
    assert coded.numeric_columns == ("x",)
    assert coded.y.tolist() == [0, 0, 1, 0]


def test_speed_budget_compares_medians_over_the_same_data_sets(tmp_path, monkeypatch):
    from benchmarks import speed

    reference = tmp_path / "reference.csv"
    pd.DataFrame(
        {
            "dataset": ["a", "a", "b", "b", "c", "c"],
            "sampler": ["gan", "vae"] * 3,
            "seconds": [1.0, 1.0, 3.0, 3.0, 100.0, 100.0],
        }
    ).to_csv(reference, index=False)
    # This run has a and b only: the reference's medians are over a and b too (2.0).
    timings = pd.DataFrame(
        {
            "dataset": ["a", "a", "a", "b", "b", "b"],
            "sampler": ["smote", "gan", "vae"] * 2,
            "seconds": [0.01, 1.5, 2.0, 0.01, 2.0, 2.5],
        }
    )
    monkeypatch.setattr(speed, "keel", lambda directory, device: timings)
    table = speed.budget(None, None, reference, "cpu")[0].set_index("figure")
    gan, vae = (
        table.loc[f"{name} median KEEL fit_resample s (2 sets)"] for name in ("gan", "vae")
    )
    assert (gan["value"], gan["target"], gan["pass"]) == (1.75, 2.0, True)
    assert (vae["value"], vae["target"], vae["pass"]) == (2.25, 2.0, False)
    args = ["--budget", "--reference", str(reference), "--output-dir", str(tmp_path)]
    assert speed.main(args) == 1  # not held: the VAE is slower than before
    assert (tmp_path / "budget.csv").exists() and (tmp_path / "budget_keel.csv").exists()


@pytest.mark.skipif(not HAS_DEEPGEN, reason="imblearn_deepgen not installed")
def test_missing_data_mode_keeps_missing_values_and_compares_with_imputation(tmp_path):
    output = tmp_path / "missing.csv"
    text = io.StringIO()
    status = cli.main(
        [
            "--missing-data",
            "--datasets",
            "causaldata__nhefs__death",
            "--samplers",
            "none,ros,imputer-smote",
            "gan:max_iter=5,generator_hidden=(16,)",
            "--folds",
            "2",
            "--repeats",
            "1",
            "--output",
            str(output),
            "--no-progress",
        ],
        stdout=text,
    )
    assert status == 0
    saved = read_results([output])
    # Default classifiers of the mode: LR (imputing after the sampler) and HGB.
    assert sorted(saved["classifier"].unique()) == ["hgb", "lr"]
    _assert_cells_complete(saved)
    assert (saved["status"] == OK).all(), saved["error"].unique()
    gaps = saved.groupby("sampler")["missing_gap"].mean()
    # The GAN generates missing values, random copies keep them, imputation has none.
    assert 0 <= gaps["gan:max_iter=5,generator_hidden=(16,)"] < 1
    assert gaps["ros"] < 0.2
    assert np.isnan(gaps["imputer-smote"])
    assert "miss_gap" in text.getvalue()
    assert "vs imputer-smote" in text.getvalue()


def test_imputed_input_uses_smotenc_where_there_are_nominal_columns():
    from benchmarks.samplers import build_sampler

    spec = parse_sampler_spec("imputer-smote")
    assert type(build_sampler(spec, 0)).__name__ == "SMOTE"
    assert type(build_sampler(spec, 0, categorical_features=["sex"])).__name__ == "SMOTENC"
