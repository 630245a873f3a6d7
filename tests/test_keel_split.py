"""The recorded KEEL split into a tuning half A and a confirmation half B."""

from pathlib import Path

import pandas as pd
import pytest

from benchmarks import cli
from benchmarks.keel_split import SPLIT_FILE, half_names, main, split_halves

KEEL_MANIFEST = Path(__file__).resolve().parents[2] / "shared" / "data" / "keel" / "manifest.csv"


def _manifest(sizes):
    return pd.DataFrame({"name": [f"set{i}" for i in range(len(sizes))], "n_minority": sizes})


def test_each_pair_by_minority_size_is_split_between_the_halves():
    sizes = [5, 40, 7, 300, 18, 18, 60, 9, 120]
    split = split_halves(_manifest(sizes), seed=3)
    assert split["n_minority"].tolist() == sorted(sizes)
    for start in range(0, len(sizes) - 1, 2):
        assert set(split["half"].iloc[start : start + 2]) == {"A", "B"}
    assert split["half"].value_counts().max() == 5
    pd.testing.assert_frame_equal(split, split_halves(_manifest(sizes), seed=3))
    assert not split.equals(split_halves(_manifest(sizes), seed=4))


def test_recorded_split_covers_the_collection_once():
    split = pd.read_csv(SPLIT_FILE)
    assert len(split) == 75 and split["name"].is_unique
    assert sorted(half_names("A") + half_names("B")) == sorted(split["name"])
    assert abs(len(half_names("A")) - len(half_names("B"))) == 1
    with pytest.raises(ValueError, match="half must be one of"):
        half_names("C")


@pytest.mark.skipif(
    not KEEL_MANIFEST.exists(), reason="the KEEL collection is not beside the repo"
)
def test_recorded_split_is_what_the_command_writes(tmp_path):
    output = tmp_path / "split.csv"
    assert main([str(KEEL_MANIFEST), "--output", str(output)]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(output), pd.read_csv(SPLIT_FILE))


def test_cli_refuses_half_and_datasets_together(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--half", "A", "--datasets", "glass1", "--no-progress"])
    assert "give one of them" in capsys.readouterr().err
