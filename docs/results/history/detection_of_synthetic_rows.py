"""Diagnostic: can gradient boosting tell the deep samplers' synthetic minority rows from real ones?

On each table with missing values (../shared/data/missing), two stratified 75/25 splits:
HGB recall, precision and PR-AUC on the test rows after each sampler, and the detection
ROC-AUC of synthetic against real minority training rows; "-snap" moves every value of a
numeric column with at most 50 distinct values in the class to the nearest of them.
Run from the repository root: PYTHONPATH=. python docs/results/history/detection_of_synthetic_rows.py
"""

import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
from sklearn.metrics import average_precision_score, precision_score, recall_score
from sklearn.model_selection import StratifiedShuffleSplit

from benchmarks.classifiers import make_classifier
from benchmarks.datasets import load_keel_dir
from benchmarks.preprocessing import make_encoder
from imblearn_deepgen import GANOverSampler, VAEOverSampler
from imblearn_deepgen.metrics import detection_score


def ros(X, y, rng):
    idx = np.flatnonzero(y == 1)
    extra = rng.choice(idx, (y == 0).sum() - len(idx))
    return pd.concat([X, X.iloc[extra]], ignore_index=True), np.r_[y, y[extra]]


def snap(Xs, Xtrain_min, numeric, max_unique):
    """Replace each numeric value by the nearest value seen in the class's rows, where few."""
    Xs = Xs.copy()
    for c in numeric:
        seen = np.unique(Xtrain_min[c].dropna().to_numpy(float))
        if len(seen) == 0 or len(seen) > max_unique:
            continue
        v = Xs[c].to_numpy(float, copy=True)
        ok = ~np.isnan(v)
        pos = np.clip(np.searchsorted(seen, v[ok]), 1, len(seen) - 1)
        left, right = seen[pos - 1], seen[pos]
        v[ok] = np.where(v[ok] - left <= right - v[ok], left, right)
        Xs[c] = v.astype(Xs[c].dtype) if Xs[c].dtype.kind == "f" else Xs[c]
    return Xs


rows = []
for d in load_keel_dir("../shared/data/missing"):
    split = StratifiedShuffleSplit(2, test_size=0.25, random_state=0)
    for rep, (tr, te) in enumerate(split.split(d.X, d.y)):
        Xtr, ytr, Xte, yte = d.X.iloc[tr].reset_index(drop=True), d.y[tr], d.X.iloc[te], d.y[te]
        enc = make_encoder(d.nominal_columns, d.numeric_columns).fit(Xtr)
        n = len(Xtr)
        variants = {}
        variants["ros"] = ros(Xtr, ytr, np.random.default_rng(rep))
        for name, cls in (("vae", VAEOverSampler), ("gan", GANOverSampler)):
            Xr, yr = cls(random_state=rep).fit_resample(Xtr, ytr)
            variants[name] = (Xr, yr)
            syn = Xr.iloc[n:]
            variants[name + "-snap"] = (
                pd.concat(
                    [Xtr, snap(syn, Xtr[ytr == 1], d.numeric_columns, 50)], ignore_index=True
                ),
                yr,
            )
        for name, (Xr, yr) in variants.items():
            clf = make_classifier("hgb", rep).fit(enc.transform(Xr), yr)
            p = clf.predict_proba(enc.transform(Xte))[:, 1]
            det = np.nan
            if name != "ros":
                syn = Xr.iloc[n:]
                det = detection_score(
                    Xtr[ytr == 1],
                    syn.sample(min(len(syn), 2000), random_state=0),
                    categorical_features=list(d.nominal_columns),
                    random_state=0,
                )
            rows.append(
                dict(
                    data=d.name[:22],
                    rep=rep,
                    sampler=name,
                    recall=recall_score(yte, p > 0.5),
                    prec=precision_score(yte, p > 0.5, zero_division=0),
                    prauc=average_precision_score(yte, p),
                    det=det,
                )
            )
    print(
        pd.DataFrame(rows)
        .query("data == @d.name[:22]")
        .groupby("sampler")[["recall", "prec", "prauc", "det"]]
        .mean()
        .round(3)
        .to_string(),
        d.name,
        flush=True,
    )
df = pd.DataFrame(rows)
df.to_csv("detection_of_synthetic_rows.csv", index=False)
print(df.groupby("sampler")[["recall", "prec", "prauc", "det"]].mean().round(3))
