"""
======================================
Fidelity and privacy of synthetic rows
======================================

How close are synthetic rows to the real rows of their class, and are they
copies? :func:`imblearn_deepgen.metrics.comparison_report` answers both with one
call, and :mod:`imblearn_deepgen.plotting` draws the matching figures.

The data is ``vehicle0`` from the bundled KEEL subset: 18 integer-valued shape
features, 199 minority rows out of 846. Half of the minority rows are held out
and never shown to a sampler; they are the reference for the privacy check.
"""

# %%
# Training rows and held-out rows
# ===============================

from pathlib import Path

import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE

from imblearn_deepgen import GANOverSampler, VAEOverSampler
from imblearn_deepgen.metrics import comparison_report
from imblearn_deepgen.plotting import (
    plot_correlation_difference,
    plot_distributions,
    plot_loss_curves,
    plot_pca,
)


def keel_file(name):
    """Path of a KEEL data set bundled in the repository (benchmarks/data/keel)."""
    for folder in (Path.cwd(), *Path.cwd().parents):
        path = folder / "benchmarks" / "data" / "keel" / f"{name}.csv.gz"
        if path.exists():
            return path
    raise FileNotFoundError(f"{name}: run this example inside the imblearn-deepgen repository")


data = pd.read_csv(keel_file("vehicle0"))
X, y = data.drop(columns="target"), data["target"]

rng = np.random.RandomState(0)
minority = np.flatnonzero(y == 1)
held_out = rng.choice(minority, size=len(minority) // 2, replace=False)
train = np.setdiff1d(np.arange(len(y)), held_out)
X_train, y_train = X.iloc[train], y.iloc[train]
real = X_train[y_train == 1]  # the minority rows the samplers learn from
holdout = X.iloc[held_out]  # minority rows no sampler sees
print(f"{len(real)} training minority rows, {len(holdout)} held-out minority rows")

# %%
# Synthetic minority rows
# =======================
#
# Every sampler returns the original rows first, so the synthetic rows are the
# ones after ``len(X_train)``. The deep samplers train for 500 steps here.

samplers = {
    "GAN": GANOverSampler(max_iter=500, random_state=0),
    "VAE": VAEOverSampler(max_iter=500, random_state=0),
    "SMOTE": SMOTE(random_state=0),
}
synthetic = {}
for name, sampler in samplers.items():
    X_res, y_res = sampler.fit_resample(X_train, y_train)
    synthetic[name] = X_res.iloc[len(X_train) :]
    print(f"{name}: {len(synthetic[name])} synthetic rows")

# %%
# The report
# ==========
#
# ``comparison_report`` compares the synthetic rows with the real training rows
# column by column (marginals and summary statistics), pair by pair
# (associations), as a whole (can a classifier tell them apart?) and for
# privacy (distances to the closest training row, against the same distances of
# the held-out rows). Its text summary:

reports = {
    name: comparison_report(real, rows, holdout=holdout, cv=3, random_state=0)
    for name, rows in synthetic.items()
}
print(reports["GAN"])

# %%
# ``to_frame()`` gives every metric in one tidy frame, convenient for comparing
# samplers. Lower is better for the distances; a detection ROC-AUC near 0.5
# means the rows are hard to tell apart; a DCR ratio well below 1 means the
# synthetic rows sit closer to the training rows than unseen real rows do.

overall = [
    "association_mean_abs_difference",
    "detection_auc",
    "exact_copy_share",
    "dcr_ratio",
]
table = {}
for name, report in reports.items():
    frame = report.to_frame()
    table[name] = {
        "mean JS distance": report.marginals["js_distance"].mean(),
        "mean KS statistic": report.marginals["ks_statistic"].mean(),
        **frame[frame["column"].isna()].set_index("metric")["value"][overall].to_dict(),
    }
print(pd.DataFrame(table).round(3).to_string())

# %%
# Figures
# =======
#
# Per-column distributions of the GAN's rows against the real training rows
# (the first six columns):

fig = plot_distributions(real, synthetic["GAN"], columns=list(X.columns[:6]))

# %%
# Both samples projected on the first two principal components of the real rows:

fig = plot_pca(real, synthetic["GAN"])

# %%
# Pairwise correlations of the real rows, of the synthetic rows, and their
# difference:

fig = plot_correlation_difference(real, synthetic["GAN"])

# %%
# The training losses of the GAN (``history_``):

fig = plot_loss_curves(samplers["GAN"])
