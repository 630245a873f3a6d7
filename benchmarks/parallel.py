"""Running cells in parallel without oversubscribing the CPU.

Cells run through :class:`joblib.Parallel`, by default with the ``loky``
process backend. Each worker limits its native thread pools (BLAS, OpenMP,
and PyTorch's intra-op pool) to ``cpu_count // n_jobs`` threads, so that
``n_jobs`` workers together use about one thread per core.

Any joblib backend can be used instead by running inside
``joblib.parallel_config``; for a Dask cluster::

    from dask.distributed import Client
    import joblib
    from benchmarks import run_benchmark

    client = Client("tcp://scheduler:8786")
    with joblib.parallel_config(backend="dask"):
        results = run_benchmark(datasets, samplers, n_jobs=-1, threads_per_worker=1)

(``python -m benchmarks --dask-scheduler tcp://scheduler:8786`` does the same.)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from joblib import Parallel, delayed
from threadpoolctl import threadpool_limits


def default_threads_per_worker(n_jobs: int) -> int | None:
    """Threads each worker may use so that the workers share the cores.

    Parameters
    ----------
    n_jobs : int
        joblib ``n_jobs`` (negative values count back from the number of cores).

    Returns
    -------
    int or None
        ``None`` for a sequential run (no limit), else at least 1.
    """
    n_cores = os.cpu_count() or 1
    workers = n_jobs if n_jobs > 0 else max(1, n_cores + 1 + n_jobs)
    if workers == 1:
        return None
    return max(1, n_cores // workers)


def limit_torch_threads(n_threads: int | None) -> None:
    """Limit PyTorch's intra-op threads if PyTorch is already imported.

    PyTorch is only imported by the deep samplers, so this is called after the
    sampler is built; it never imports PyTorch itself.
    """
    if n_threads is not None and "torch" in sys.modules:
        torch = sys.modules["torch"]
        if torch.get_num_threads() != n_threads:
            torch.set_num_threads(n_threads)


@contextmanager
def limited_threads(n_threads: int | None):
    """Limit BLAS and OpenMP thread pools inside the block (no-op for ``None``)."""
    if n_threads is None:
        yield
        return
    with threadpool_limits(limits=n_threads):
        yield


def run_tasks(function: Callable, tasks: Iterable[tuple], n_jobs: int = 1) -> Iterator:
    """Call ``function(*task)`` for every task, yielding results as they finish.

    Parameters
    ----------
    function : callable
        Picklable function.
    tasks : iterable of tuple
        Positional arguments of each call.
    n_jobs : int, default=1
        Number of parallel workers; 1 runs in this process. The backend is
        joblib's default (``loky``) unless set by ``joblib.parallel_config``.

    Yields
    ------
    object
        Return values, in completion order.
    """
    if n_jobs == 1:
        for task in tasks:
            yield function(*task)
        return
    parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
    yield from parallel(delayed(function)(*task) for task in tasks)
