"""
===================================
Mixed numeric and categorical data
===================================

The deep samplers take a raw pandas DataFrame with string (or ``category``)
columns: categorical columns are one-hot encoded inside the sampler, per class,
and the synthetic rows come back with the same columns, dtypes and category
values. Encoding for the *classifier* then goes after the sampler in the
pipeline.

This example compares :class:`~imblearn_deepgen.GANOverSampler`,
:class:`~imblearn_deepgen.VAEOverSampler` and imbalanced-learn's
:class:`~imblearn.over_sampling.SMOTENC` (SMOTE for nominal and continuous
features) on the ``abalone9-18`` data bundled with the benchmarks: one nominal
column (``Sex``), seven numeric ones, 42 minority rows out of 731. Each pipeline
is cross-validated with 3 stratified folds; the samplers see the training folds
only.
"""

# %%
# Data
# ====
#
# The KEEL files keep nominal values as strings and end with the ``target``
# column (1 = minority class).

from pathlib import Path
from time import perf_counter

import matplotlib.pyplot as plt
import pandas as pd
from imblearn.over_sampling import SMOTENC
from imblearn.pipeline import Pipeline
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from imblearn_deepgen import GANOverSampler, VAEOverSampler


def keel_file(name):
    """Path of a KEEL data set bundled in the repository (benchmarks/data/keel)."""
    for folder in (Path.cwd(), *Path.cwd().parents):
        path = folder / "benchmarks" / "data" / "keel" / f"{name}.csv.gz"
        if path.exists():
            return path
    raise FileNotFoundError(f"{name}: run this example inside the imblearn-deepgen repository")


data = pd.read_csv(keel_file("abalone9-18"))
X, y = data.drop(columns="target"), data["target"]
nominal = ["Sex"]
print(X.head().to_string())
print("class counts:", y.value_counts().sort_index().to_dict())

# %%
# Pipelines
# =========
#
# Every pipeline is *sampler -> encoder -> classifier*. The samplers receive the
# raw frame: ``GANOverSampler`` and ``VAEOverSampler`` detect the string column
# themselves (``categorical_features="auto"``), ``SMOTENC`` is told which column
# is nominal. The ``ColumnTransformer`` after the sampler one-hot encodes ``Sex``
# and standardises the rest for the logistic regression. ``"passthrough"`` in
# place of a sampler gives the baseline without resampling.
#
# The deep samplers train for 300 steps here to keep the build fast; their
# default is 1,000.

encoder = ColumnTransformer(
    [("nominal", OneHotEncoder(handle_unknown="ignore"), nominal)],
    remainder=StandardScaler(),
)
samplers = {
    "no resampling": "passthrough",
    "SMOTENC": SMOTENC(categorical_features=nominal, random_state=0),
    "GAN": GANOverSampler(max_iter=300, random_state=0),
    "VAE": VAEOverSampler(max_iter=300, random_state=0),
}
cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)

rows = {}
for name, sampler in samplers.items():
    model = Pipeline(
        [
            ("sampler", sampler),
            ("encode", encoder),
            ("classify", LogisticRegression(max_iter=1000)),
        ]
    )
    start = perf_counter()
    scores = cross_validate(model, X, y, cv=cv, scoring=["f1", "recall", "precision"])
    rows[name] = {
        "F1": scores["test_f1"].mean(),
        "F1 std": scores["test_f1"].std(),
        "recall": scores["test_recall"].mean(),
        "precision": scores["test_precision"].mean(),
        "seconds": perf_counter() - start,
    }

results = pd.DataFrame(rows).T
print(results.round(3).to_string())

# %%
# Three folds of 14 minority rows each make these estimates noisy (see the
# standard deviation across folds), and 300 training steps are a short budget:
# read the table as a demonstration of the set-up, not as a comparison of the
# methods. The :ref:`benchmarks` page describes a protocol built for that.

ax = results[["F1", "recall", "precision"]].plot.bar(rot=0, figsize=(7, 3.5))
ax.set_ylabel("mean over 3 folds")
ax.set_ylim(0, 1)
ax.legend(loc="upper left", ncols=3)
plt.tight_layout()

# %%
# What the deep samplers add
# ==========================
#
# Outside a pipeline, ``fit_resample`` shows the synthetic rows: same columns
# and dtypes as the input, only categories seen in the minority class, and
# numeric values within the class's observed range.

X_res, y_res = VAEOverSampler(max_iter=300, random_state=0).fit_resample(X, y)
synthetic = X_res.iloc[len(X) :]
print((X_res.dtypes == X.dtypes).all(), synthetic.shape)
print(synthetic.head().round(3).to_string())
