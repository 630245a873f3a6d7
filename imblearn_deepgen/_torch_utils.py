"""Torch plumbing: device resolution, seeded generators, scoped thread limits."""

import os
import threading
import warnings
from contextlib import contextmanager

import numpy as np
import torch

# Seeds are drawn from a numpy RandomState; torch accepts any 64-bit value but
# int32 keeps them portable across numpy versions and platforms.
_MAX_SEED = np.iinfo(np.int32).max


def resolve_device(device):
    """Turn the ``device`` parameter into an available :class:`torch.device`.

    ``"auto"`` picks CUDA when it is available, else the CPU. An explicit CUDA
    device that is not available warns and falls back to the CPU, so a model
    tuned on a GPU machine still runs on a laptop.
    """
    if isinstance(device, torch.device):
        requested = device
    elif device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    else:
        try:
            requested = torch.device(device)
        except RuntimeError as exc:
            raise ValueError(
                f"device={device!r} is not a device torch understands; use 'auto', 'cpu', "
                "'cuda' or 'cuda:N'."
            ) from exc
    if requested.type == "cpu":
        return torch.device("cpu")
    if requested.type == "cuda":
        index = requested.index or 0
        if torch.cuda.is_available() and index < torch.cuda.device_count():
            return torch.device("cuda", index)
        warnings.warn(
            f"device={str(device)!r} is not available on this machine; training on the CPU "
            "instead. Pass device='cpu' (or 'auto') to silence this warning.",
            UserWarning,
            stacklevel=3,
        )
        return torch.device("cpu")
    raise ValueError(
        f"device={str(device)!r} is not supported; use 'auto', 'cpu', 'cuda' or 'cuda:N'."
    )


def draw_seed(rng):
    """Draw one integer seed from a numpy ``RandomState``."""
    return int(rng.randint(_MAX_SEED))


def draw_torch_seed(generator):
    """Draw one integer seed from a :class:`torch.Generator`'s stream."""
    return int(torch.randint(_MAX_SEED, (), generator=generator, device=generator.device))


def make_generator(seed, device):
    """A :class:`torch.Generator` on ``device`` seeded with ``seed``.

    Every random draw in training and generation goes through such a generator,
    so the global torch RNG is never read or advanced.
    """
    generator = torch.Generator(device=device)
    generator.manual_seed(seed)
    return generator


def effective_n_threads(n_jobs):
    """Number of torch CPU threads for ``n_jobs`` (scikit-learn convention)."""
    n_cpus = os.cpu_count() or 1
    if n_jobs is None:
        return 1
    if n_jobs == 0:
        raise ValueError(
            "n_jobs=0 is not a number of threads; use None (one thread), a positive count, "
            "or -1 for all cores."
        )
    if n_jobs < 0:
        return max(n_cpus + 1 + n_jobs, 1)
    return n_jobs


_thread_lock = threading.Lock()
_thread_users = 0
_threads_before = None


@contextmanager
def torch_threads(n_threads):
    """Limit torch's intra-op thread pool inside the block, then restore it.

    Under joblib or GridSearchCV(n_jobs=k) every worker would otherwise start a
    pool of all cores, and k such pools fight over the same cores. The setting
    is process-wide, so concurrent fits in threads share one count: the first to
    enter saves the caller's value and the last to leave restores it.
    """
    global _thread_users, _threads_before
    with _thread_lock:
        if _thread_users == 0:
            _threads_before = torch.get_num_threads()
        _thread_users += 1
        torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        with _thread_lock:
            _thread_users -= 1
            if _thread_users == 0:
                torch.set_num_threads(_threads_before)


def to_cpu(module):
    """Move a fitted module to the CPU in eval mode, so pickles load anywhere."""
    return module.to("cpu").eval()
