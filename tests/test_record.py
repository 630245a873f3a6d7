"""One command writes the recorded tables, and a second run reuses every cell."""

import shutil

from benchmarks import record
from benchmarks.results import read_results

from .test_benchmarks import _write_tiny_keel_dir


def test_record_writes_every_table_and_reuses_its_rows(tmp_path):
    data = _write_tiny_keel_dir(tmp_path / "keel")
    # Five data sets, the fewest a verdict is computed on.
    for copy in range(3):
        shutil.copy(data / "mixed.csv", data / f"mixed{copy}.csv")
    output = tmp_path / "recorded"
    arguments = ["--keel", str(data), "--output-dir", str(output)]
    arguments += ["--samplers", "smote", "gan:max_iter=3"]
    assert record.main(arguments) == 0
    for name in ("keel_summary.txt", "keel_vs_ros_shrink.txt", "keel_ranks.csv", "verdict.md"):
        assert (output / name).stat().st_size > 0, name
    assert (output / "keel_summary.txt").read_text().startswith("VERDICT")
    assert "| lr | gan:max_iter=3 |" in (output / "verdict.md").read_text()
    first = (output / "keel.csv.gz").read_bytes()
    assert record.main(arguments) == 0
    # Every cell was reused: the same rows, byte for byte.
    assert (output / "keel.csv.gz").read_bytes() == first
    assert len(read_results([output / "keel.csv.gz"])) == 5 * 10 * 2 * 3


def test_record_writes_the_missing_value_tables(tmp_path):
    output = tmp_path / "recorded"
    bundled = record.cli.BUNDLED_MISSING_DIR
    data = tmp_path / "missing"
    data.mkdir()
    shutil.copy(bundled / "asaur__hepatoCellular__death2y.csv.gz", data)
    arguments = ["--missing", str(data), "--output-dir", str(output)]
    arguments += ["--samplers", "ros", "imputer-smote", "vae:max_iter=3"]
    assert record.main(arguments) == 0
    summary = (output / "missing_summary.txt").read_text()
    assert "vs imputer-smote" in summary and "miss_gap" in summary
    assert "vs ros" in (output / "missing_vs_ros.txt").read_text()
    assert (output / "missing_ranks.csv").stat().st_size > 0
    assert "--missing-data" in (output / "about_this_run.txt").read_text()
