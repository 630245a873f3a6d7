"""Command line of the benchmark (``python -m benchmarks --help``)."""

from __future__ import annotations

import argparse
import contextlib
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

from .classifiers import CLASSIFIER_NAMES, HGB_PARAMS
from .datasets import (
    BUNDLED_MISSING_DIR,
    load_bundled,
    load_creditcard,
    load_keel_dir,
    select_datasets,
)
from .keel_split import HALVES, half_names
from .protocol import HOLDOUT_TEST_SIZE, run_benchmark
from .results import read_results, write_results
from .samplers import (
    BUILTIN_SAMPLERS,
    DEFAULT_SAMPLERS,
    MISSING_DATA_SAMPLERS,
    check_sampler,
    parse_sampler_list,
)
from .summary import (
    DEFAULT_BASELINE,
    MIN_WILCOXON_PAIRS,
    TIE_TOLERANCE,
    by_class_size,
    check_class_size_edges,
    common_datasets,
    format_summary,
    rank_table,
    summarize,
)
from .verdict import format_verdict

DEFAULT_OUTPUT = "results/benchmark.csv"
CV_FOLDS, CV_REPEATS = 5, 2
CREDITCARD_REPEATS = 3
CREDITCARD_CLASSIFIERS = ("lr", "hgb")
MISSING_DATA_CLASSIFIERS = ("lr", "hgb")
MISSING_DATA_BASELINE = "imputer-smote"

_SAMPLER_LINES = "\n".join(
    f"  {name:<18}{builtin.description}" for name, builtin in BUILTIN_SAMPLERS.items()
)
_HGB_TEXT = ",\n       ".join(f"{key}={value}" for key, value in HGB_PARAMS.items())
_DEFAULT_TEXT = textwrap.fill(
    f"Default: {', '.join(DEFAULT_SAMPLERS)}, plus smotenc when a selected dataset has "
    "nominal columns (recorded as not_applicable on numeric-only datasets).",
    width=76,
    initial_indent="  ",
    subsequent_indent="  ",
    break_on_hyphens=False,
)

DESCRIPTION = """\
Benchmark oversamplers (SMOTE family, random over-sampling, GAN, VAE, or any
imbalanced-learn style sampler) on small imbalanced datasets.

Without a data option the KEEL subset bundled in benchmarks/data/keel is used,
evaluated by RepeatedStratifiedKFold (--folds x --repeats). Preprocessing is
fitted on each training fold only; the sampler runs on the training fold only,
once per (dataset, sampler, repeat, fold), and every classifier is trained on
that resampled fold. With --creditcard the protocol is a stratified 75/25
split repeated over 3 seeds, classifiers lr and hgb. With --missing-data the
data keep their missing values: samplers that take them as they are run
against imputation followed by SMOTE, with classifiers lr (imputing after the
sampler) and hgb (missing values as they are).
"""

EPILOG = f"""\
samplers:
{_SAMPLER_LINES}
  MODULE:CLASS      any importable class with fit_resample, e.g.
                    imblearn.over_sampling:SVMSMOTE

{_DEFAULT_TEXT}
  With --missing-data: {", ".join(MISSING_DATA_SAMPLERS)}.

  Parameters follow a colon, as key=value pairs separated by commas; values
  are Python literals (ast.literal_eval), anything else is a plain string:
    --samplers smote:k_neighbors=3 'gan:max_iter=50,batch_size=64' \\
               'mypkg.mod:MySampler:k=3,kind="fast"'
  A key=value piece after a comma belongs to the sampler before it. Every
  sampler gets random_state = seed + 1000 * repeat + fold. Custom samplers
  receive one-hot encoded, standardised features; add _input=frame to give
  them the raw DataFrame (nominal columns as pandas category) instead.

classifiers:
  lr   SimpleImputer(strategy="median", add_indicator=True), then
       LogisticRegression(max_iter=1000); the imputer changes nothing on
       data without missing values
  dt   DecisionTreeClassifier()
  hgb  HistGradientBoostingClassifier(
       {_HGB_TEXT})
       scikit-learn's default switches on early stopping above 10,000 rows,
       which on the credit-card data stops after ~10 iterations (ROC-AUC
       ~0.8); without early stopping and without an L2 penalty the leaf
       values blow up there (ROC-AUC 0.49-0.84 over seeds). The fixed,
       regularised setting above is stable (ROC-AUC 0.98-0.99) and is used
       for every dataset.

failures:
  Any exception of a sampler or classifier is recorded in the results
  ("status" failed, "error" = stage: type: message, metrics NaN), never
  skipped. For example SMOTE, Borderline-SMOTE and ADASYN (k_neighbors=5)
  fail on folds with fewer than 6 minority rows, and ADASYN fails on
  separable data. In the summary a dataset counts for a sampler only when
  all its folds ran: failed datasets are left out of that sampler's means,
  ranks and comparisons, and "ran" shows n_ok/n_total.

summary:
  Per classifier and sampler: mean of each metric over datasets (after
  averaging folds per dataset), mean rank across datasets (1 = best, ties
  averaged, ranked among the samplers that ran), wins/ties/losses vs
  --baseline per dataset (|difference| <= {TIE_TOLERANCE:g} is a tie),
  Wilcoxon signed-rank p-value (NaN with fewer than {MIN_WILCOXON_PAIRS} datasets),
  median fit_resample time. A sampler that fails on some datasets is averaged
  over other datasets than the rest; --common summarises only the datasets
  on which every sampler ran.

parallel runs:
  --n-jobs N runs cells in N loky worker processes; each limits BLAS, OpenMP
  and PyTorch threads to cpu_count // N. For a Dask cluster give
  --dask-scheduler ADDRESS (needs dask.distributed, not a dependency), or from
  Python: with joblib.parallel_config(backend="dask"): run_benchmark(...,
  n_jobs=-1).

examples:
  python -m benchmarks
  python -m benchmarks --samplers none,smote,adasyn,ros --n-jobs 2
  python -m benchmarks --data-dir /path/to/keel --datasets ecoli3,glass1
  python -m benchmarks --creditcard creditcard.csv.gz --samplers none,smote,gan
  python -m benchmarks --missing-data --n-jobs 2
  python -m benchmarks --summary results/benchmark.csv more.csv --plot figures
"""


def _comma_list(text: str) -> list[str]:
    return [piece.strip() for piece in text.split(",") if piece.strip()]


def _class_size_edges(text: str) -> list[int]:
    # Checked when parsing, not after a run that may take hours.
    try:
        return check_class_size_edges(_comma_list(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    """Create the argument parser.

    Returns
    -------
    argparse.ArgumentParser
        The parser of ``python -m benchmarks``.
    """
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    data = parser.add_mutually_exclusive_group()
    data.add_argument(
        "--data-dir",
        metavar="DIR",
        help="directory of KEEL-layout CSV/CSV.gz files (features, nominal ones as "
        "strings, last column 'target' with 1 = minority); manifest.csv is not a "
        "dataset but its nominal_columns are used. Default: the bundled KEEL subset.",
    )
    data.add_argument(
        "--creditcard",
        metavar="PATH",
        help="credit-card fraud CSV or CSV.gz with a 'Class' column; 'openml' downloads "
        "OpenML data set 1597 instead. Uses the hold-out protocol "
        f"({round(100 * (1 - HOLDOUT_TEST_SIZE))}/{round(100 * HOLDOUT_TEST_SIZE)} split, "
        f"--repeats seeds, default "
        f"{CREDITCARD_REPEATS}).",
    )
    data.add_argument(
        "--missing-data",
        nargs="?",
        const=str(BUNDLED_MISSING_DIR),
        metavar="DIR",
        help="tables with missing values, kept as they are (KEEL layout; default DIR: the "
        "bundled benchmarks/data/missing). Default samplers and classifiers change to "
        "those for missing data (see below).",
    )
    parser.add_argument(
        "--datasets", type=_comma_list, metavar="A,B,...", help="only these datasets, by name"
    )
    parser.add_argument(
        "--half",
        choices=HALVES,
        help="only the datasets of this half of the recorded KEEL split "
        "(benchmarks/data/keel_split.csv): A tunes defaults, B confirms them; "
        "use with --data-dir holding the full KEEL collection",
    )
    parser.add_argument(
        "--samplers",
        nargs="+",
        metavar="SPEC",
        help="samplers, comma- or space-separated, with optional parameters "
        "(see 'samplers' below)",
    )
    parser.add_argument(
        "--classifiers",
        type=_comma_list,
        metavar="A,B,...",
        help=f"classifiers among {','.join(CLASSIFIER_NAMES)} (default: all; "
        f"{','.join(CREDITCARD_CLASSIFIERS)} for --creditcard)",
    )
    parser.add_argument(
        "--folds",
        type=int,
        default=CV_FOLDS,
        help=f"cross-validation folds (default {CV_FOLDS}; ignored with --creditcard)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        help=f"cross-validation repeats (default {CV_REPEATS}), or hold-out seeds with "
        f"--creditcard (default {CREDITCARD_REPEATS})",
    )
    parser.add_argument("--seed", type=int, default=0, help="base random seed (default 0)")
    parser.add_argument(
        "--n-jobs",
        type=int,
        default=1,
        metavar="N",
        help="cells run in parallel (joblib loky processes; -1 = all cores; default 1)",
    )
    parser.add_argument(
        "--dask-scheduler",
        metavar="ADDRESS",
        help="run cells on a Dask cluster through joblib's dask backend "
        "(requires dask.distributed)",
    )
    parser.add_argument(
        "--output",
        default=DEFAULT_OUTPUT,
        metavar="CSV",
        help=f"results file, one row per cell and classifier (default {DEFAULT_OUTPUT}); "
        "when it exists, its cells whose inputs and code are unchanged are reused",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="run every cell, even those the --output file already holds",
    )
    parser.add_argument("--plot", metavar="DIR", help="write PNG figures to DIR")
    parser.add_argument(
        "--summary",
        nargs="+",
        metavar="CSV",
        help="only print the summary of saved results files (nothing is run)",
    )
    parser.add_argument(
        "--table",
        metavar="CSV",
        help="also write mean rank and mean of F1, G-mean, PR-AUC and recall per "
        "classifier and sampler to CSV (the format of the recorded ablation tables)",
    )
    parser.add_argument(
        "--baseline",
        type=_comma_list,
        metavar="A,B,...",
        help=f"sampler the others are compared with (default {DEFAULT_BASELINE}; "
        f"{MISSING_DATA_BASELINE} with --missing-data); with several, the verdict is "
        "printed against each and the tables use the first",
    )
    parser.add_argument(
        "--common",
        action="store_true",
        help="summarise only the datasets on which every sampler ran, so that all "
        "means and ranks are over the same datasets",
    )
    parser.add_argument(
        "--by-class-size",
        type=_class_size_edges,
        metavar="A,B,...",
        help="also print the mean rank and mean of F1, G-mean, PR-AUC and recall per "
        "classifier and sampler within groups of datasets by minority training rows, "
        "e.g. 12,24,48: at most 12, 13 to 24, 25 to 48, more than 48",
    )
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    return parser


def _report(results, args, stdout) -> None:
    if args.common:
        kept = common_datasets(results)
        left_out = sorted(set(results["dataset"]) - set(kept["dataset"]))
        print(
            f"common datasets: {kept['dataset'].nunique()} of {results['dataset'].nunique()}"
            f" (left out, a sampler failed there: {', '.join(left_out) or 'none'})\n",
            file=stdout,
        )
        results = kept
    baseline = args.baseline[0]
    summary = summarize(results, baseline=baseline)
    for other in args.baseline:
        against = summary if other == baseline else summarize(results, baseline=other)
        verdict = format_verdict(against, baseline=other)
        if verdict:
            print(verdict + "\n", file=stdout)
    print(format_summary(summary, baseline=baseline), file=stdout)
    if args.table:
        rank_table(summary).to_csv(args.table, index=False)
    if args.by_class_size:
        for label, rows in by_class_size(results, args.by_class_size):
            table = rank_table(summarize(rows, baseline=baseline))
            print(f"\n{label}: mean rank and mean\n{table.to_string(index=False)}", file=stdout)
    if args.plot:
        from .plots import write_plots

        written = write_plots(results, args.plot, baseline=baseline)
        print(f"\nwrote {len(written)} figures to {args.plot}", file=stdout)


def _load_datasets(args):
    if args.creditcard:
        return [load_creditcard(args.creditcard)]
    if args.data_dir or args.missing_data:
        return load_keel_dir(args.data_dir or args.missing_data)
    return load_bundled()


@contextlib.contextmanager
def _dask_backend(address: str):
    try:
        import joblib
        from dask.distributed import Client
    except ImportError as exc:
        raise SystemExit(f"--dask-scheduler needs dask.distributed: {exc}") from exc
    with Client(address), joblib.parallel_config(backend="dask"):
        yield


def main(argv: Sequence[str] | None = None, stdout=None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: ``sys.argv[1:]``).
    stdout : file-like, optional
        Where the summary goes (default: ``sys.stdout``).

    Returns
    -------
    int
        Exit status.
    """
    stdout = stdout or sys.stdout
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.baseline is None:
        args.baseline = [MISSING_DATA_BASELINE if args.missing_data else DEFAULT_BASELINE]

    if args.summary:
        _report(read_results(args.summary), args, stdout)
        return 0

    try:
        if args.half and args.datasets:
            raise ValueError("--half and --datasets both select datasets; give one of them")
        names = half_names(args.half) if args.half else args.datasets
        datasets = select_datasets(_load_datasets(args), names)
        defaults = MISSING_DATA_SAMPLERS if args.missing_data else DEFAULT_SAMPLERS
        specs = parse_sampler_list(args.samplers or list(defaults))
    except (OSError, ValueError) as exc:
        parser.error(str(exc))
    if (
        not args.samplers
        and not args.missing_data
        and any(dataset.nominal_columns for dataset in datasets)
    ):
        specs += parse_sampler_list(["smotenc"])
    classifiers = args.classifiers or list(
        CREDITCARD_CLASSIFIERS
        if args.creditcard
        else MISSING_DATA_CLASSIFIERS
        if args.missing_data
        else CLASSIFIER_NAMES
    )
    unknown = sorted(set(classifiers) - set(CLASSIFIER_NAMES))
    if unknown:
        parser.error(f"unknown classifiers {unknown}; use {','.join(CLASSIFIER_NAMES)}")
    for spec in specs:
        problem = check_sampler(spec)
        if problem:
            print(
                f"warning: sampler {spec.label!r} cannot be built ({problem}); "
                "its cells will be recorded as failures",
                file=sys.stderr,
            )

    protocol = "holdout" if args.creditcard else "cv"
    default_repeats = CREDITCARD_REPEATS if args.creditcard else CV_REPEATS
    n_jobs, threads, backend = args.n_jobs, None, contextlib.nullcontext()
    if args.dask_scheduler:
        n_jobs, threads, backend = -1, 1, _dask_backend(args.dask_scheduler)
    cache = None
    if not args.no_cache and Path(args.output).exists():
        try:
            cache = read_results([args.output])
        except (OSError, ValueError) as exc:
            print(f"warning: not reusing {args.output} ({exc})", file=sys.stderr)
    start = time.perf_counter()
    with backend:
        results = run_benchmark(
            datasets,
            specs,
            classifiers,
            protocol=protocol,
            n_folds=args.folds,
            n_repeats=args.repeats or default_repeats,
            seed=args.seed,
            n_jobs=n_jobs,
            threads_per_worker=threads,
            progress=not args.no_progress,
            cache=cache,
        )
    elapsed = time.perf_counter() - start
    path = write_results(results, args.output)
    n_cells = len(results) // len(classifiers)
    print(
        f"{len(results)} rows ({len(datasets)} datasets, {len(specs)} samplers, "
        f"{len(classifiers)} classifiers) in {elapsed:.1f} s; "
        f"{results.attrs['n_reused_cells']} of {n_cells} cells reused from the earlier "
        f"results; written to {path}\n",
        file=stdout,
    )
    _report(results, args, stdout)
    return 0
