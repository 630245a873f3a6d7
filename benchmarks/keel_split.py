"""The fixed split of the KEEL collection into a tuning half A and a confirmation half B.

Defaults are tuned on half A only; half B is run once, to confirm declared
candidates (see the history page of the docs). The split is stratified by
minority class size: data sets are sorted by their number of minority rows,
taken in consecutive pairs, and a seeded coin sends one of each pair to A and
the other to B (an odd last set goes to a coin's side too). Both halves then
hold small, medium and large minority classes alike.

Regenerate the recorded file (it never changes for the same manifest)::

    python -m benchmarks.keel_split ../shared/data/keel/manifest.csv
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

#: The recorded split of the 75 KEEL data sets.
SPLIT_FILE = Path(__file__).resolve().parent / "data" / "keel_split.csv"
#: Seed of the recorded split.
SPLIT_SEED = 0
HALVES = ("A", "B")


def split_halves(manifest: pd.DataFrame, seed: int = SPLIT_SEED) -> pd.DataFrame:
    """Split data sets into halves A and B, stratified by minority class size.

    Parameters
    ----------
    manifest : DataFrame
        One row per data set with columns ``name`` and ``n_minority``.
    seed : int, default=SPLIT_SEED
        Seed of the coin that assigns each pair.

    Returns
    -------
    DataFrame
        Columns ``name``, ``n_minority`` and ``half``, sorted by ``n_minority``
        then ``name``.
    """
    table = manifest[["name", "n_minority"]].sort_values(["n_minority", "name"], kind="stable")
    rng = np.random.default_rng(seed)
    halves = []
    for start in range(0, len(table), 2):
        pair = list(HALVES) if rng.random() < 0.5 else list(reversed(HALVES))
        halves.extend(pair[: min(2, len(table) - start)])
    return table.assign(half=halves).reset_index(drop=True)


def half_names(half: str, path: str | Path = SPLIT_FILE) -> list[str]:
    """Names of the data sets in one half of the recorded split.

    Parameters
    ----------
    half : {'A', 'B'}
        The half.
    path : str or Path, default=SPLIT_FILE
        The split file.

    Returns
    -------
    list of str
        Data set names, by minority class size.

    Raises
    ------
    ValueError
        If ``half`` is neither ``'A'`` nor ``'B'``.
    """
    if half not in HALVES:
        raise ValueError(f"half must be one of {HALVES}, got {half!r}")
    split = pd.read_csv(path)
    return split.loc[split["half"] == half, "name"].tolist()


def main(argv: Sequence[str] | None = None) -> int:
    """Write the split of a KEEL manifest to ``--output`` (default: the recorded file)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.keel_split", description=__doc__)
    parser.add_argument("manifest", help="manifest.csv of the KEEL collection")
    parser.add_argument("--seed", type=int, default=SPLIT_SEED)
    parser.add_argument("--output", default=str(SPLIT_FILE))
    args = parser.parse_args(argv)
    split_halves(pd.read_csv(args.manifest), args.seed).to_csv(args.output, index=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
