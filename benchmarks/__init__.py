"""Benchmark harness comparing oversamplers on small imbalanced datasets.

Run ``python -m benchmarks --help`` for the command line. From Python::

    from benchmarks import load_bundled, parse_sampler_list, run_benchmark, summarize

    results = run_benchmark(load_bundled(), parse_sampler_list(["smote,gan"]))
    print(summarize(results))

Modules, one job each:

``datasets``
    load the bundled KEEL subset, a KEEL-layout directory or the credit-card data.
``samplers``
    parse sampler specifications (``name:key=value``, ``module:Class``) and build them.
``classifiers``
    the classifiers (``lr``, ``dt``, ``hgb``) and their settings.
``preprocessing``
    fold-wise one-hot encoding and standardisation around the sampler.
``metrics``
    test-fold metrics.
``protocol``
    splits, one cell of work, and the whole run.
``parallel``
    joblib execution with per-worker thread limits (Dask through joblib).
``results``
    the tidy results table and its CSV files.
``summary``
    means, ranks, wins/ties/losses and Wilcoxon tests; failure policy.
``plots``
    PNG figures (matplotlib imported lazily).
``cli``
    the command line.
"""

from .datasets import Dataset, load_bundled, load_creditcard, load_keel_dir, make_dataset
from .protocol import run_benchmark, run_cell
from .results import read_results, write_results
from .samplers import SamplerSpec, parse_sampler_list, parse_sampler_spec
from .summary import (
    by_class_size,
    common_datasets,
    dataset_means,
    format_summary,
    rank_table,
    summarize,
)

__all__ = [
    "Dataset",
    "SamplerSpec",
    "by_class_size",
    "common_datasets",
    "dataset_means",
    "format_summary",
    "load_bundled",
    "load_creditcard",
    "load_keel_dir",
    "make_dataset",
    "parse_sampler_list",
    "parse_sampler_spec",
    "rank_table",
    "read_results",
    "run_benchmark",
    "run_cell",
    "summarize",
    "write_results",
]
