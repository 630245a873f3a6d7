"""The recorded results say what their stored rows say: README and tables match the file."""

from pathlib import Path

import pytest

from benchmarks.results import read_results
from benchmarks.summary import summarize
from benchmarks.verdict import verdict_markdown

ROOT = Path(__file__).resolve().parents[1]
RECORDED = ROOT / "docs" / "results" / "benchmarks"


@pytest.fixture(scope="module")
def keel_verdict():
    return verdict_markdown(summarize(read_results([RECORDED / "keel.csv.gz"])))


def test_the_recorded_verdict_is_that_of_the_recorded_rows(keel_verdict):
    assert (RECORDED / "verdict.md").read_text() == keel_verdict


def test_the_readme_shows_the_recorded_verdict(keel_verdict):
    assert keel_verdict in (ROOT / "README.md").read_text()
