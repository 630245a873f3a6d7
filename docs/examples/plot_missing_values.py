"""
=================================================
Missing values: generated, not imputed away
=================================================

In clinical, credit and fraud tables, *whether* a value is missing often says
something about the class. Imputing before oversampling erases that signal from
the synthetic rows; both samplers instead learn each class's missingness jointly
with its values and generate missing cells where the model says so.

The data is the NHEFS cohort bundled with the benchmarks
(``benchmarks/data/missing``, from the ``causaldata`` R package, MIT licence):
1,629 smokers examined in 1971, 318 of whom had died by 1992, with 50 baseline
columns of which 16 have natural missing values.
"""

# %%
# Where the values are missing
# ============================

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from imblearn.pipeline import make_pipeline
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import cross_val_score

from imblearn_deepgen import GANOverSampler, VAEOverSampler
from imblearn_deepgen.plotting import plot_missing_shares


def bundled_file(name):
    """Path of a table bundled in the repository (benchmarks/data/missing)."""
    for folder in (Path.cwd(), *Path.cwd().parents):
        path = folder / "benchmarks" / "data" / "missing" / f"{name}.csv.gz"
        if path.exists():
            return path
    raise FileNotFoundError(f"{name}: run this example inside the imblearn-deepgen repository")


data = pd.read_csv(bundled_file("causaldata__nhefs__death"))
X, y = data.drop(columns="target"), data["target"].to_numpy()
shares = pd.DataFrame({"died": X[y == 1].isna().mean(), "survived": X[y == 0].isna().mean()})
print(shares[shares.sum(axis=1) > 0].round(3).sort_values("died", ascending=False).head(8))

# %%
# Several columns are missing more often among those who died: their missingness
# is a signal a classifier can use, and one that the synthetic rows should keep.
#
# Oversampling the raw table
# ==========================
#
# No imputer is needed: ``missing_values="model"`` is the default. The original
# rows come back unchanged, missing cells included, and every column keeps its
# dtype; a synthetic missing cell holds the column's own missing value.

gan = GANOverSampler(random_state=0)
X_gan, y_gan = gan.fit_resample(X, y)
vae = VAEOverSampler(random_state=0)
X_vae, y_vae = vae.fit_resample(X, y)

print(X_gan.iloc[: len(X)].equals(X), (X_gan.dtypes == X.dtypes).all())
print(f"{len(X_gan) - len(X)} synthetic rows of class 1")

# %%
# Real and synthetic missingness
# ==============================
#
# The share of missing values per column, in the real rows of the class and in
# its synthetic rows. A column never missing in the class is never missing in
# its synthetic rows.

real_minority = X[y == 1]
fig, axes = plt.subplots(2, 1, figsize=(9, 6.5), sharex=True)
for ax, (name, X_res) in zip(axes, [("GAN", X_gan), ("VAE", X_vae)], strict=True):
    plot_missing_shares(real_minority, X_res.iloc[len(X) :], ax=ax)
    ax.set_title(f"{name}: missing share per column, class 1 (died)")
fig.tight_layout()

gaps = {
    name: (X_res.iloc[len(X) :].isna().mean() - real_minority.isna().mean()).abs()
    for name, X_res in [("GAN", X_gan), ("VAE", X_vae)]
}
with_missing = real_minority.columns[X.isna().any()]
print(pd.DataFrame(gaps).loc[with_missing].mean().round(3).rename("mean gap"))

# %%
# In a pipeline with gradient boosting
# ====================================
#
# :class:`~sklearn.ensemble.HistGradientBoostingClassifier` takes missing values
# as they are, so the sampler and the classifier run on the raw table. The
# benchmark (``python -m benchmarks --missing-data``) compares this against
# imputation followed by SMOTE on eight real tables; see :doc:`/benchmarks`.

pipeline = make_pipeline(
    VAEOverSampler(random_state=0),
    HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=0),
)
X_cat = X.astype({c: "category" for c in X.select_dtypes(exclude="number").columns})
scores = cross_val_score(pipeline, X_cat, y, scoring="average_precision", cv=3)
print(f"PR-AUC over 3 folds: {np.round(scores, 3)}")
