"""Speed and scale benchmarks: fit and generation time, memory, parallel tuning.

Run ``python -m benchmarks.speed --help``. Every part writes a CSV into the
output directory and prints a short table; ratios are measured within one
process run so that machine noise cancels. Parts:

``creditcard``
    ``fit_resample`` wall time of the default GAN and VAE on the full
    credit-card data against SMOTE's (needs ``--creditcard PATH``).
``keel``
    median ``fit_resample`` time at default parameters over a KEEL-layout
    directory (the bundled subset without ``--data-dir``).
``scaling``
    fit time against minority size (100 to 100,000 rows) and against the
    number of features (10 to 300), with SMOTE and ADASYN; CSV and PNG.
``sample``
    rows per second and peak memory of ``sample(2_000_000)`` on 30 numeric
    columns and on a mixed table (5 categorical + 10 numeric columns), with
    one torch thread (``n_jobs=None``) and with every core (``n_jobs=-1``),
    with no filter and with each sampler's default ``filters``; time is the
    best of three calls, or of fewer when a call takes longer than 10 seconds.
``gridsearch``
    wall time of the same GridSearchCV with ``n_jobs=1`` and ``n_jobs=2``.
``first_fit``
    the first and the second ``fit_resample`` of each default sampler in a
    fresh process (median of three processes): what a notebook's first call
    costs beyond the steady state.

``--budget`` runs none of the parts: it checks the default samplers against
the speed budget and prints each figure beside its target, pass or fail
(see :data:`BUDGET`).
"""

import argparse
import itertools
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from imblearn.over_sampling import ADASYN, SMOTE
from imblearn.pipeline import make_pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from imblearn_deepgen import GANOverSampler, VAEOverSampler

from .datasets import load_bundled, load_creditcard, load_keel_dir

PARTS = ("creditcard", "keel", "scaling", "sample", "gridsearch", "first_fit")
DEEP = {"gan": GANOverSampler, "vae": VAEOverSampler}
SAMPLE_ROWS = 2_000_000
SAMPLE_TIMINGS = 3
FIRST_FIT_PROCESSES = 3
# Calls slower than this are not repeated: their noise is small beside their time.
SAMPLE_REPEAT_BELOW_S = 10.0
# The filter settings of the sample part, spelled as sampler parameters.
SAMPLE_FILTERS = {"none": {"filters": None}, "default": {}}

#: The speed budget of the default samplers, on the 2-core machine: full
#: credit-card ``fit_resample`` against SMOTE's in the same process; bulk
#: ``sample()`` rate with every core after that fit, and the share of the
#: unfiltered rate the filters may cost. The median KEEL ``fit_resample`` time
#: may not exceed that of the samplers before the lean redesign over the same
#: data sets (commit d4de25d; per data set the mean of two runs of its ``keel``
#: part, in benchmarks/budget_reference.csv).
BUDGET = {
    "fit_ratio_to_smote": 10.0,
    "sample_rows_per_second": 1_000_000,
    "filter_cost_share": 0.25,
}
BUDGET_SAMPLE_ROWS = 2_000_000
BUDGET_TIMINGS = 3


def _timed_fit(sampler, X, y):
    start = time.perf_counter()
    X_res, _ = sampler.fit_resample(X, y)
    return time.perf_counter() - start, len(X_res) - len(X)


def _make(name, device, seed=0, n_jobs=None, **params):
    if name == "smote":
        return SMOTE(random_state=seed)
    if name == "adasyn":
        return ADASYN(random_state=seed)
    return DEEP[name](random_state=seed, device=device, n_jobs=n_jobs, **params)


def creditcard(path, device):
    """Default GAN/VAE against SMOTE on the full credit-card data, one process."""
    data = load_creditcard(path)
    rows = []
    for name in ("smote", "gan", "vae"):
        seconds, generated = _timed_fit(_make(name, device), data.X, data.y)
        rows.append({"sampler": name, "seconds": seconds, "rows_generated": generated})
    table = pd.DataFrame(rows)
    table["ratio_to_smote"] = table["seconds"] / table.loc[0, "seconds"]
    return table


def keel(directory, device):
    """``fit_resample`` time of each sampler on each dataset at default parameters."""
    datasets = load_keel_dir(directory) if directory else load_bundled()
    rows = []
    for dataset in datasets:
        for name in ("smote", "gan", "vae"):
            try:
                seconds, _ = _timed_fit(_make(name, device), dataset.X, dataset.y)
            except ValueError:  # SMOTE needs more neighbours than tiny classes have
                seconds = np.nan
            rows.append(
                {
                    "dataset": dataset.name,
                    "sampler": name,
                    "seconds": seconds,
                    "n_minority": int((dataset.y == 1).sum()),
                    "n_features": dataset.X.shape[1],
                }
            )
    return pd.DataFrame(rows)


def _synthetic(n_minority, n_features, seed=0):
    """A binary numeric problem with ``n_minority`` minority and twice as many majority rows."""
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((3 * n_minority, n_features))
    X[:n_minority] += 0.5  # overlapping classes, so every sampler has neighbours to use
    y = np.repeat([1, 0], [n_minority, 2 * n_minority])
    return X, y


def scaling(device):
    """Fit time against minority size and against the number of features."""
    rows = []
    grid = [("minority", m, 10) for m in (100, 1_000, 10_000, 100_000)]
    grid += [("features", 1_000, f) for f in (10, 30, 100, 300)]
    for axis, n_minority, n_features in grid:
        X, y = _synthetic(n_minority, n_features)
        for name in ("smote", "adasyn", "gan", "vae"):
            try:
                seconds, _ = _timed_fit(_make(name, device), X, y)
            except RuntimeError:  # ADASYN refuses a class with no majority neighbours
                seconds = np.nan
            rows.append(
                {
                    "axis": axis,
                    "n_minority": n_minority,
                    "n_features": n_features,
                    "sampler": name,
                    "seconds": seconds,
                }
            )
    return pd.DataFrame(rows)


def _measure_sample(kind, sampler_name, device, n_jobs, filter_name="none"):
    """Fit on a small table, then time ``sample(2_000_000)`` (runs in a child process)."""
    rng = np.random.RandomState(0)
    n = 2_000
    if kind == "numeric":
        X = pd.DataFrame(rng.standard_normal((n, 30)), columns=[f"V{j}" for j in range(30)])
    else:
        X = pd.DataFrame({f"num{j}": rng.lognormal(size=n) for j in range(10)})
        for j in range(5):
            X[f"cat{j}"] = pd.Categorical(rng.choice(list("abcdefgh"), n))
    y = np.repeat([0, 1], [n - 500, 500])
    sampler = _make(sampler_name, device, n_jobs=n_jobs, **SAMPLE_FILTERS[filter_name])
    sampler.fit_resample(X, y)
    usage_before, peak_before = resource.getrusage(resource.RUSAGE_SELF), _peak_rss_mb()
    start = time.perf_counter()
    out = sampler.sample(SAMPLE_ROWS)
    seconds = time.perf_counter() - start
    usage_after, peak_after = resource.getrusage(resource.RUSAGE_SELF), _peak_rss_mb()
    output_mb = out.memory_usage(deep=True).sum() / 2**20
    del out
    # Memory comes from the first call; time is the best of a few, as single
    # calls vary between runs by a fifth or more.
    for _ in range(SAMPLE_TIMINGS - 1):
        if seconds > SAMPLE_REPEAT_BELOW_S:
            break
        start = time.perf_counter()
        sampler.sample(SAMPLE_ROWS)
        seconds = min(seconds, time.perf_counter() - start)
    return {
        "table": kind,
        "sampler": sampler_name,
        "n_jobs": str(n_jobs),
        "filter": filter_name,
        "rows": SAMPLE_ROWS,
        "seconds": seconds,
        # Kernel time, mostly mapping the fresh output memory on first write.
        "system_seconds": usage_after.ru_stime - usage_before.ru_stime,
        "rows_per_second": SAMPLE_ROWS / seconds,
        "output_mb": output_mb,
        "peak_increase_mb": peak_after - peak_before,
        "peak_over_output": (peak_after - peak_before) / output_mb,
    }


def _peak_rss_mb():
    """Peak resident memory of this process image, in MiB.

    ``VmHWM`` starts afresh at ``exec``, unlike ``ru_maxrss``, which a child
    inherits from a large parent and would then hide the child's own peak.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_fresh_process(function, *args):
    """Call one of this module's functions in a new Python process; return its dict."""
    call = f"{function}({', '.join(map(repr, args))})"
    code = f"import json; from benchmarks.speed import {function}; print(json.dumps({call}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def sample(device):
    """Each measurement in a fresh process, so peak memory is its own."""
    rows = []
    cases = itertools.product(("numeric", "mixed"), DEEP, (None, -1), SAMPLE_FILTERS)
    for kind, name, n_jobs, filter_name in cases:
        rows.append(_in_fresh_process("_measure_sample", kind, name, device, n_jobs, filter_name))
    return pd.DataFrame(rows)


def gridsearch(device):
    """The same 2x2 grid, 3 folds, serial and with two workers."""
    X, y = _synthetic(300, 20)
    rows = []
    for name, grid in (
        (
            "gan",
            {
                "ganoversampler__moment_weight": [0.0, 1.0],
                "ganoversampler__learning_rate": [1e-3, 2e-3],
            },
        ),
        ("vae", {"vaeoversampler__latent_dim": [4, 8], "vaeoversampler__kl_weight": [0.5, 1.0]}),
    ):
        pipeline = make_pipeline(_make(name, device), LogisticRegression(max_iter=1000))
        for n_jobs in (1, 2):
            search = GridSearchCV(
                pipeline, grid, cv=StratifiedKFold(3), scoring="f1", n_jobs=n_jobs
            )
            start = time.perf_counter()
            search.fit(X, y)
            rows.append(
                {"sampler": name, "n_jobs": n_jobs, "seconds": time.perf_counter() - start}
            )
    table = pd.DataFrame(rows)
    table["speedup_vs_serial"] = table.groupby("sampler")["seconds"].transform(
        lambda s: s.iloc[0] / s
    )
    return table


def _measure_first_fit(name, device):
    """The first and the second fit of one sampler (runs in a fresh child process)."""
    X, y = _synthetic(100, 10)
    first, _ = _timed_fit(_make(name, device), X, y)
    second, _ = _timed_fit(_make(name, device), X, y)
    return {"sampler": name, "first_fit_seconds": first, "second_fit_seconds": second}


def first_fit(device):
    """Median over fresh processes of the first and second fit of each deep sampler."""
    rows = []
    for name, _ in itertools.product(DEEP, range(FIRST_FIT_PROCESSES)):
        rows.append(_in_fresh_process("_measure_first_fit", name, device))
    table = pd.DataFrame(rows).groupby("sampler", sort=False).median().reset_index()
    table["first_fit_extra_seconds"] = table["first_fit_seconds"] - table["second_fit_seconds"]
    return table


def _best_time(call, repeats):
    """Best wall time of ``repeats`` calls: single calls vary by a fifth or more."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def _check(figure, value, target, passed):
    return {"figure": figure, "value": value, "target": target, "pass": passed}


def _creditcard_budget(path, device):
    """The credit-card figures of the budget (runs in a fresh child process)."""
    data = load_creditcard(path)
    smote = _make("smote", device)
    smote.fit_resample(data.X, data.y)  # the first call imports and warms up
    smote_s = _best_time(lambda: smote.fit_resample(data.X, data.y), BUDGET_TIMINGS)
    rows = [_check("SMOTE fit_resample s (credit card)", smote_s, None, None)]
    limit = BUDGET["fit_ratio_to_smote"]
    for name in DEEP:
        sampler = _make(name, device)
        fit_s = _best_time(lambda s=sampler: s.fit_resample(data.X, data.y), 2)
        ratio = fit_s / smote_s
        rows.append(_check(f"{name} fit_resample / SMOTE's", ratio, limit, ratio <= limit))
        # Filters draw nothing from the generator's stream: the same network.
        unfiltered = _make(name, device, filters=None)
        unfiltered.fit_resample(data.X, data.y)
        rates = {}
        for label, fitted in (("filtered", sampler), ("unfiltered", unfiltered)):
            fitted.set_params(n_jobs=-1)  # bulk generation may use every core
            seconds = _best_time(
                lambda f=fitted: f.sample(BUDGET_SAMPLE_ROWS, class_label=1), BUDGET_TIMINGS
            )
            rates[label] = BUDGET_SAMPLE_ROWS / seconds
        target, cost = (
            BUDGET["sample_rows_per_second"],
            1.0 - rates["filtered"] / rates["unfiltered"],
        )
        rows.append(
            _check(
                f"{name} sample({BUDGET_SAMPLE_ROWS:,}) rows/s, n_jobs=-1",
                rates["filtered"],
                target,
                rates["filtered"] >= target,
            )
        )
        share = BUDGET["filter_cost_share"]
        rows.append(
            _check(f"{name} filters' share of the unfiltered rate", cost, share, cost <= share)
        )
    return {"rows": rows}


def budget(creditcard_path, keel_dir, reference, device):
    """The default samplers against :data:`BUDGET`.

    The KEEL fits run first in this process, the credit-card figures after them in a
    fresh one, so that neither part's memory and threads weigh on the other's times.
    Returns one row per figure, with its target and pass or fail, and the KEEL
    timings the medians come from.
    """
    timings = keel(keel_dir, device)
    before = pd.read_csv(reference)
    # Medians over the same data sets: those of this run that the reference has.
    before = before[before["dataset"].isin(timings["dataset"])]
    timings = timings[timings["dataset"].isin(before["dataset"])]
    n_sets = timings["dataset"].nunique()
    now, then = (t.groupby("sampler")["seconds"].median() for t in (timings, before))
    rows = [
        _check(
            f"{name} median KEEL fit_resample s ({n_sets} sets)",
            now[name],
            then[name],
            now[name] <= then[name],
        )
        for name in DEEP
    ]
    if creditcard_path:
        rows += _in_fresh_process("_creditcard_budget", creditcard_path, device)["rows"]
    else:
        print("credit-card figures skipped: pass --creditcard PATH")
    return pd.DataFrame(rows), timings


def plot_scaling(table, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    panels = (("minority", "n_minority"), ("features", "n_features"))
    for ax, (axis, column) in zip(axes, panels, strict=True):
        part = table[table["axis"] == axis]
        for name, rows in part.groupby("sampler"):
            ax.plot(rows[column], rows["seconds"], marker="o", label=name)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(column.replace("n_", "number of ").replace("minority", "minority rows"))
        ax.set_ylabel("fit_resample seconds")
        ax.grid(True, which="both", alpha=0.3)
    axes[0].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.speed",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help=f"comma-separated parts to run, from {', '.join(PARTS)}",
    )
    parser.add_argument(
        "--creditcard",
        metavar="PATH",
        help="credit-card CSV(.gz) with a Class column (part 'creditcard')",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="KEEL-layout directory for part 'keel' (default: bundled subset)",
    )
    parser.add_argument("--device", default="cpu", help="device of the deep samplers")
    parser.add_argument(
        "--budget",
        action="store_true",
        help="check the default samplers against the speed budget instead of running "
        "parts (credit-card figures need --creditcard; KEEL medians use --data-dir)",
    )
    parser.add_argument(
        "--reference",
        default=str(Path(__file__).parent / "budget_reference.csv"),
        metavar="CSV",
        help="per data set fit seconds (dataset, sampler, seconds) whose medians the "
        "--budget medians must not exceed",
    )
    parser.add_argument(
        "--output-dir",
        default="results/speed",
        metavar="DIR",
        help="where the CSV files and the scaling PNG are written",
    )
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    out = Path(args.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    if args.budget:
        table, timings = budget(args.creditcard, args.data_dir, args.reference, args.device)
        table.to_csv(out / "budget.csv", index=False)
        timings.to_csv(out / "budget_keel.csv", index=False)
        print(table.round(3).to_string(index=False))
        held = table["pass"].dropna().all()
        print("speed budget: " + ("held" if held else "NOT held"))
        return 0 if held else 1
    for part in args.parts.split(","):
        if part == "creditcard" and not args.creditcard:
            print("skipping 'creditcard': pass --creditcard PATH")
            continue
        if part == "creditcard":
            table = creditcard(args.creditcard, args.device)
        elif part == "keel":
            table = keel(args.data_dir, args.device)
            medians = table.groupby("sampler")["seconds"].median().rename("median_seconds")
            medians.to_csv(out / "keel_median.csv")
            print(
                f"\n== keel: median fit_resample seconds over {table['dataset'].nunique()} "
                f"datasets ==\n{medians.round(3).to_string()}"
            )
        elif part == "scaling":
            table = scaling(args.device)
            plot_scaling(table, out / "scaling.png")
        elif part == "sample":
            table = sample(args.device)
        elif part == "gridsearch":
            table = gridsearch(args.device)
        elif part == "first_fit":
            table = first_fit(args.device)
        else:
            raise SystemExit(f"unknown part {part!r}; choose from {', '.join(PARTS)}")
        table.to_csv(out / f"{part}.csv", index=False)
        if part != "keel":
            print(f"\n== {part} ==\n{table.round(3).to_string(index=False)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
