"""The recorded results: one command runs (or reuses) the cells and writes every table and figure.

Usage::

    python -m benchmarks.record --keel ../shared/data/keel \
        --creditcard ../shared/data/creditcard.csv.gz \
        --missing ../shared/data/missing --n-jobs 2

Writes into ``docs/results/benchmarks`` (``--output-dir``):

- ``keel.csv.gz``, ``creditcard.csv.gz`` and ``missing.csv.gz``: the raw rows,
  every default sampler (of ``--missing-data`` for the tables with missing values).
  They are also the cache of the next run: only cells whose inputs or code
  changed run again (see :mod:`benchmarks.cache`), so after a change of one
  sampler's defaults the command reruns that sampler alone;
- ``keel_summary.txt`` and ``creditcard_summary.txt``: the verdict against
  SMOTE, then the full tables; ``keel_vs_ros_shrink.txt`` and
  ``keel_vs_none_tuned.txt``: the same against the two cheap baselines;
- ``missing_summary.txt`` and ``missing_vs_ros.txt``: the tables with missing
  values, against imputation + SMOTE and against random oversampling;
- ``keel_ranks.csv`` and ``missing_ranks.csv``: mean rank and mean of F1,
  G-mean, PR-AUC and recall;
- ``verdict.md``: the README's table; the figures of ``--plot``.

``--summaries-only`` rewrites the tables and figures from the stored rows
without running anything.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import sys
import time
from pathlib import Path

from . import cli
from .results import read_results
from .summary import summarize
from .verdict import verdict_markdown

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "docs" / "results" / "benchmarks"


def _harness(arguments: list[str], stdout_path: Path | None = None) -> None:
    text = io.StringIO()
    status = cli.main(arguments, stdout=text)
    if status:
        raise SystemExit(f"python -m benchmarks {' '.join(arguments)} exited with {status}")
    if stdout_path is not None:
        stdout_path.write_text(text.getvalue())


def _run(part: str, data_option: list[str], output: Path, n_jobs: int, samplers) -> str:
    rows = output / f"{part}.csv.gz"
    arguments = [*data_option, "--n-jobs", str(n_jobs), "--no-progress", "--output", str(rows)]
    if samplers:
        arguments += ["--samplers", *samplers]
    start = time.perf_counter()
    log = io.StringIO()
    with contextlib.redirect_stdout(log):
        _harness(arguments)
    seconds = time.perf_counter() - start
    shown = [os.path.relpath(a) if a == str(rows) else a for a in arguments]
    return f"python -m benchmarks {' '.join(shown)}\n    ({seconds:.0f} s)\n"


def write_summaries(output: Path) -> None:
    """Every table and figure from the stored rows."""
    keel, creditcard = output / "keel.csv.gz", output / "creditcard.csv.gz"
    missing = output / "missing.csv.gz"
    if keel.exists():
        _harness(
            [
                "--summary",
                str(keel),
                "--table",
                str(output / "keel_ranks.csv"),
                "--plot",
                os.path.relpath(output),  # printed in the summary: no machine's path
            ],
            output / "keel_summary.txt",
        )
        for baseline in ("ros-shrink", "none-tuned"):
            _harness(
                ["--summary", str(keel), "--baseline", baseline],
                output / f"keel_vs_{baseline.replace('-', '_')}.txt",
            )
        table = verdict_markdown(summarize(read_results([keel])))
        if table:
            (output / "verdict.md").write_text(table)
    if creditcard.exists():
        _harness(["--summary", str(creditcard)], output / "creditcard_summary.txt")
    if missing.exists():
        baseline = ["--baseline", cli.MISSING_DATA_BASELINE]
        table = ["--table", str(output / "missing_ranks.csv")]
        _harness(["--summary", str(missing), *baseline, *table], output / "missing_summary.txt")
        _harness(["--summary", str(missing), "--baseline", "ros"], output / "missing_vs_ros.txt")


def _versions() -> str:
    import imblearn
    import numpy
    import pandas
    import scipy
    import sklearn
    import torch

    return (
        f"python {platform.python_version()}, torch {torch.__version__}, "
        f"scikit-learn {sklearn.__version__}, imbalanced-learn {imblearn.__version__}, "
        f"numpy {numpy.__version__}, pandas {pandas.__version__}, scipy {scipy.__version__}"
    )


def _machine() -> str:
    import torch

    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = " (" + line.split(":", 1)[1].strip() + ")"
                break
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    return f"{os.cpu_count()} CPU cores{model}, {gpu}, {platform.system()} {platform.machine()}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.record",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("--keel", metavar="DIR", help="the KEEL collection (75 data sets)")
    parser.add_argument("--creditcard", metavar="PATH", help="the credit-card fraud CSV")
    parser.add_argument(
        "--missing", metavar="DIR", help="tables with natural missing values (--missing-data)"
    )
    parser.add_argument("--n-jobs", type=int, default=1, help="cells run in parallel")
    parser.add_argument(
        "--samplers", nargs="+", metavar="SPEC", help="instead of the harness's default samplers"
    )
    parser.add_argument("--output-dir", default=str(DEFAULT_OUTPUT), metavar="DIR")
    parser.add_argument(
        "--summaries-only", action="store_true", help="only rewrite tables and figures"
    )
    args = parser.parse_args(argv)
    output = Path(args.output_dir)
    output.mkdir(parents=True, exist_ok=True)
    commands = []
    if not args.summaries_only:
        if args.keel:
            option = ["--data-dir", args.keel]
            commands.append(_run("keel", option, output, args.n_jobs, args.samplers))
        if args.creditcard:
            option = ["--creditcard", args.creditcard]
            commands.append(_run("creditcard", option, output, args.n_jobs, args.samplers))
        if args.missing:
            option = ["--missing-data", args.missing]
            commands.append(_run("missing", option, output, args.n_jobs, args.samplers))
    write_summaries(output)
    if commands:
        from .cache import repository_commit

        (output / "about_this_run.txt").write_text(
            "Written by python -m benchmarks.record "
            + " ".join(argv if argv is not None else sys.argv[1:])
            + f"\nCommit: {repository_commit()}\nVersions: {_versions()}\n"
            f"Machine: {_machine()}\n"
            "Harness runs (cells of unchanged inputs are reused from the rows already here):\n"
            + "".join(commands)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
