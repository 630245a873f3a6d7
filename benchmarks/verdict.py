"""The one-screen verdict: each deep sampler against the baseline, per classifier and metric.

A pair (classifier, metric) is *better* or *worse* when the paired Wilcoxon
test over datasets gives p < :data:`ALPHA`, in the direction of the larger of
wins and losses; otherwise it is a *tie*: the run cannot tell the two apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .summary import DEFAULT_BASELINE, MIN_WILCOXON_PAIRS, TABLE_METRICS, _first_seen

#: Significance level of a better or worse verdict.
ALPHA = 0.05

#: Below this many datasets the verdict says how weak the test is.
FEW_DATASETS = 10

#: Samplers (by base name) the verdict is about.
VERDICT_SAMPLERS = ("gan", "vae")

_HEADINGS = {"f1": "F1", "g_mean": "G-mean", "average_precision": "PR-AUC", "recall": "recall"}


def _word(row: pd.Series) -> str:
    if np.isnan(row["p_wilcoxon"]) or row["p_wilcoxon"] >= ALPHA:
        return "tie"
    return "better" if row["wins"] > row["losses"] else "worse"


def verdict(summary: pd.DataFrame, baseline: str = DEFAULT_BASELINE) -> pd.DataFrame:
    """Better, tie or worse for every deep sampler, classifier and headline metric.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`benchmarks.summary.summarize` against ``baseline``.
    baseline : str, default="smote"
        The sampler compared with.

    Returns
    -------
    pandas.DataFrame
        Columns ``classifier, sampler, metric, verdict, p_wilcoxon, wins,
        ties, losses``; empty when the baseline or every deep sampler is absent.
    """
    rows = summary[
        summary["sampler"].str.split(":").str[0].isin(VERDICT_SAMPLERS)
        & (summary["sampler"] != baseline)
        & summary["metric"].isin(TABLE_METRICS)
        & summary["n_pairs"].gt(0)
    ].copy()
    rows["verdict"] = [_word(row) for _, row in rows.iterrows()]
    columns = [
        "classifier",
        "sampler",
        "metric",
        "verdict",
        "p_wilcoxon",
        "wins",
        "ties",
        "losses",
    ]
    return rows[columns].reset_index(drop=True)


def _p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _cell(row: pd.Series) -> str:
    p = "p=n/a" if np.isnan(row["p_wilcoxon"]) else _p_text(row["p_wilcoxon"]).replace(" ", "")
    counts = f"{int(row['wins'])}/{int(row['ties'])}/{int(row['losses'])}"
    return f"{row['verdict']} {p} {counts}"


def format_verdict(summary: pd.DataFrame, baseline: str = DEFAULT_BASELINE) -> str:
    """The verdict as one screen of text, with a count per sampler; '' when there is none."""
    table = verdict(summary, baseline)
    if table.empty:
        return ""
    n_datasets = int(summary.loc[summary["sampler"] == baseline, "n_ok"].max())
    if n_datasets < MIN_WILCOXON_PAIRS:
        return ""  # no test over so few datasets: a case study, read its tables
    lines = [
        f"VERDICT: each deep sampler against {baseline} over up to {n_datasets} datasets "
        f"(paired Wilcoxon; better or worse when p < {ALPHA}, else tie; "
        "wins/ties/losses over datasets)",
    ]
    if n_datasets < FEW_DATASETS:
        lines.append(
            f"With {n_datasets} datasets the smallest possible p is {2 / 2**n_datasets:.3f}: "
            "only a difference in the same direction on nearly every dataset can be "
            "told from noise."
        )
    grid = table.assign(cell=[_cell(row) for _, row in table.iterrows()]).pivot(
        index=["classifier", "sampler"], columns="metric", values="cell"
    )
    grid = grid.reindex(columns=[m for m in TABLE_METRICS if m in grid.columns])
    grid.columns = [_HEADINGS[m] for m in grid.columns]
    order = [
        (c, s) for c in _first_seen(table["classifier"]) for s in _first_seen(table["sampler"])
    ]
    lines.append(grid.reindex(order).to_string())
    for sampler in _first_seen(table["sampler"]):
        words = table.loc[table["sampler"] == sampler, "verdict"].value_counts()
        lines.append(
            f"{sampler}: better on {words.get('better', 0)}, tie on {words.get('tie', 0)}, "
            f"worse on {words.get('worse', 0)} of {words.sum()} classifier and metric pairs"
        )
    return "\n".join(lines)


def verdict_markdown(summary: pd.DataFrame, baseline: str = DEFAULT_BASELINE) -> str:
    """The verdict as a Markdown table (the README's); '' when there is no verdict."""
    table = verdict(summary, baseline)
    if table.empty or not format_verdict(summary, baseline):
        return ""
    lines = [
        "| classifier | sampler | " + " | ".join(_HEADINGS[m] for m in TABLE_METRICS) + " |",
        "|---" * (2 + len(TABLE_METRICS)) + "|",
    ]
    for (classifier, sampler), rows in table.groupby(["classifier", "sampler"], sort=False):
        by_metric = rows.set_index("metric")
        cells = [
            f"{by_metric.loc[m, 'verdict']} ({_p_text(by_metric.loc[m, 'p_wilcoxon'])})"
            for m in TABLE_METRICS
        ]
        lines.append(f"| {classifier} | {sampler} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
