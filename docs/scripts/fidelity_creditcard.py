"""Fidelity and privacy of synthetic fraud rows on the credit-card fraud data.

Usage::

    python docs/scripts/fidelity_creditcard.py --creditcard PATH [--output DIR] [--seed N]

``PATH`` is the credit-card fraud CSV or CSV.gz (284,807 transactions, 492 frauds,
columns Time, V1..V28, Amount and the label ``Class``, 1 = fraud).

What it does:

1. Splits the fraud rows at random into two halves: *training* fraud rows and
   *held-out* fraud rows.
2. Fits ``GANOverSampler`` and ``VAEOverSampler`` (default parameters) and
   imbalanced-learn's ``SMOTE`` on every legitimate row plus the training fraud
   rows, with the default ``sampling_strategy`` (as many fraud rows as there are
   legitimate ones), and keeps each sampler's synthetic fraud rows.
3. Runs :func:`imblearn_deepgen.metrics.comparison_report` on the synthetic rows
   against the training fraud rows, with the held-out fraud rows as the
   reference for the distance-to-closest-record (DCR) check.
4. Writes into ``DIR`` (default: ``docs/results/fidelity`` next to this script):
   ``report_<sampler>.txt`` (the report's text summary), ``summary.csv`` (one row
   per sampler), ``about_this_run.txt`` (command, versions, timings) and the
   figures ``<sampler>_distributions.png``, ``<sampler>_pca.png``,
   ``<sampler>_correlation.png`` and ``<sampler>_loss_curves.png`` (the last one
   for the GAN and the VAE only: SMOTE does not train).

The documentation page on fidelity includes whatever this script wrote.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "results" / "fidelity"
LABEL = "Class"


def load(path):
    """Features and 0/1 label of the credit-card file (quoted labels are accepted)."""
    frame = pd.read_csv(path)
    if LABEL not in frame.columns:
        raise SystemExit(f"{path}: no {LABEL!r} column")
    y = frame.pop(LABEL).astype(str).str.strip("'\"").astype(int).to_numpy()
    return frame.astype(float), y


def make_samplers(seed):
    from imblearn.over_sampling import SMOTE

    from imblearn_deepgen import GANOverSampler, VAEOverSampler

    return {
        "gan": GANOverSampler(random_state=seed),
        "vae": VAEOverSampler(random_state=seed),
        "smote": SMOTE(random_state=seed),
    }


def summary_row(name, report, fit_seconds):
    marginal_means = report.marginals[["kl_divergence", "js_distance", "ks_statistic"]].mean()
    return {
        "sampler": name,
        "n_real": report.n_real,
        "n_synthetic": report.n_synthetic,
        "n_holdout": report.n_holdout,
        "fit_resample_s": round(fit_seconds, 2),
        "mean_kl": marginal_means["kl_divergence"],
        "mean_js": marginal_means["js_distance"],
        "mean_ks": marginal_means["ks_statistic"],
        "mean_wasserstein": report.marginals["wasserstein"].mean(),
        "association_mean_abs_diff": report.correlation.mean_abs,
        "association_max_abs_diff": report.correlation.max_abs,
        "detection_auc": report.detection_auc,
        **report.privacy,
    }


def write_figures(name, sampler, real, synthetic, output):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from imblearn_deepgen.plotting import (
        plot_correlation_difference,
        plot_distributions,
        plot_loss_curves,
        plot_pca,
    )

    figures = {
        "distributions": lambda path: plot_distributions(real, synthetic, path=path),
        "pca": lambda path: plot_pca(real, synthetic, path=path),
        "correlation": lambda path: plot_correlation_difference(real, synthetic, path=path),
    }
    if hasattr(sampler, "history_"):
        figures["loss_curves"] = lambda path: plot_loss_curves(sampler, path=path)
    for kind, draw in figures.items():
        plt.close(draw(output / f"{name}_{kind}.png"))


def source_revision():
    """The git commit of the package sources, if they come from a git checkout."""
    import subprocess

    root = Path(__file__).resolve().parents[2]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "imblearn_deepgen"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit} (with uncommitted changes)" if dirty else commit


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python docs/scripts/fidelity_creditcard.py",
        description="Fidelity/privacy report of GAN, VAE and SMOTE fraud rows.",
    )
    parser.add_argument("--creditcard", required=True, metavar="PATH", help="CSV(.gz) file")
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT), metavar="DIR")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)

    import imblearn
    import sklearn
    import torch

    import imblearn_deepgen
    from imblearn_deepgen.metrics import comparison_report

    started = time.perf_counter()
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    X, y = load(args.creditcard)
    rng = np.random.RandomState(args.seed)
    fraud = rng.permutation(np.flatnonzero(y == 1))
    held_out = np.sort(fraud[len(fraud) // 2 :])
    keep = np.ones(len(y), dtype=bool)
    keep[held_out] = False
    X_train, y_train = X[keep].reset_index(drop=True), y[keep]
    real, holdout = X_train[y_train == 1], X.iloc[held_out]
    print(
        f"{len(y)} rows, {int((y == 1).sum())} frauds: {len(real)} for training, "
        f"{len(holdout)} held out"
    )

    rows, timings = [], {}
    for name, sampler in make_samplers(args.seed).items():
        start = time.perf_counter()
        X_res, _ = sampler.fit_resample(X_train, y_train)
        fit_seconds = time.perf_counter() - start
        synthetic = X_res.iloc[len(X_train) :]
        report = comparison_report(real, synthetic, holdout=holdout, random_state=args.seed)
        (output / f"report_{name}.txt").write_text(report.summary() + "\n")
        write_figures(name, sampler, real, synthetic, output)
        rows.append(summary_row(name, report, fit_seconds))
        timings[name] = time.perf_counter() - start
        print(f"{name}: fit_resample {fit_seconds:.1f} s, total {timings[name]:.1f} s")

    pd.DataFrame(rows).to_csv(output / "summary.csv", index=False, float_format="%.4f")
    device = "cuda" if torch.cuda.is_available() else "cpu"
    about = [
        f"Data: {Path(args.creditcard).name}",
        f"Seed: {args.seed}; fraud rows split {len(real)} training / {len(holdout)} held out",
        "Samplers: GANOverSampler() and VAEOverSampler() with default parameters, "
        "imblearn SMOTE(); fitted on all legitimate rows plus the training fraud rows",
        f"Device: {device}; torch {torch.__version__}, imblearn-deepgen "
        f"{imblearn_deepgen.__version__}, imbalanced-learn {imblearn.__version__}, "
        f"scikit-learn {sklearn.__version__}, Python {platform.python_version()}",
        f"Source revision: {source_revision()}",
        "Seconds per sampler (fit_resample + report + figures): "
        + ", ".join(f"{name} {seconds:.1f}" for name, seconds in timings.items()),
        f"Total: {time.perf_counter() - started:.1f} s",
    ]
    (output / "about_this_run.txt").write_text("\n".join(about) + "\n")
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
