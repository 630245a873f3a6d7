"""Generation from a fitted network: folded layers, decoded chunk by chunk into the output.

Generating millions of rows costs matrix products and memory traffic, and every
out-of-place BatchNorm or ReLU writes a fresh chunk-sized tensor. Generation
therefore runs the network's ``body`` as folded affine layers (eval-mode
BatchNorm merged into the preceding Linear) writing into reused buffers, with
ReLU applied in place, on chunks small enough to stay in the CPU cache. Each
chunk draws from its own seed, so on the CPU several threads can generate
chunks side by side and the rows stay the same for any number of threads.
"""

import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np
import torch
from torch import nn

from ._networks import sampled_output
from ._torch_utils import draw_torch_seed, make_generator

# Rows per chunk: intermediates of 8,192 x 128 float32 stay cache-sized on a
# CPU, and the per-chunk Python overhead stays small beside the arithmetic.
GENERATION_CHUNK = 8192

# With a filter, draws per row needed before the rest is kept unfiltered.
MAX_DRAWS_PER_ROW = 10


class FoldedMLP:
    """An eval-mode ``Linear -> [BatchNorm1d] -> [ReLU]`` stack as fused affine layers.

    Parameters
    ----------
    body : torch.nn.Sequential
        The network's layers; only Linear, BatchNorm1d and ReLU are expected.
    max_rows : int
        Largest number of rows per call; output buffers are allocated once.
    """

    def __init__(self, body, max_rows):
        layers = []
        modules = list(body)
        while modules:
            linear = modules.pop(0)
            if not isinstance(linear, nn.Linear):
                raise TypeError(f"cannot fold {type(linear).__name__}; expected nn.Linear")
            weight, bias = linear.weight.detach(), linear.bias.detach()
            if modules and isinstance(modules[0], nn.BatchNorm1d):
                norm = modules.pop(0)
                scale = norm.weight.detach() / torch.sqrt(norm.running_var + norm.eps)
                weight = weight * scale[:, None]
                bias = (bias - norm.running_mean) * scale + norm.bias.detach()
            relu = bool(modules) and isinstance(modules[0], nn.ReLU)
            if relu:
                modules.pop(0)
            layers.append((weight, bias, relu))
        device = layers[-1][0].device
        self.hidden = [
            (
                weight.T.contiguous(),
                bias.clone(),
                relu,
                torch.empty(max_rows, len(bias), dtype=bias.dtype, device=device),
            )
            for weight, bias, relu in layers[:-1]
        ]
        # The output layer fills its buffer column by column (transposed), so
        # decoding reads each output column as one contiguous run.
        weight, bias, relu = layers[-1]
        self.output = (
            weight.clone(),
            bias[:, None].clone(),
            relu,
            torch.empty(len(bias), max_rows, dtype=bias.dtype, device=device),
        )

    def __call__(self, x):
        """The output for rows ``x``: an (n_rows, n_out) view of column-major memory."""
        for weight, bias, relu, buffer in self.hidden:
            out = buffer[: len(x)]
            torch.addmm(bias, x, weight, out=out)
            if relu:
                out.clamp_(min=0.0)
            x = out
        weight, bias, relu, buffer = self.output
        out = buffer[:, : len(x)]
        torch.addmm(bias, weight, x.T, out=out)
        if relu:
            out.clamp_(min=0.0)
        return out.T


class _ChunkSource:
    """Chunk ``k`` of a stream of generated rows: drawn, decoded and scored.

    Each chunk draws from its own generator, seeded with the stream's base seed
    plus ``k``, so its rows depend on ``k`` alone, not on which thread makes it
    or in what order. Each thread keeps its own folded network and buffers.
    """

    def __init__(self, network, transformer, device, chunk, accept, base_seed):
        self.network, self.transformer, self.device = network, transformer, device
        self.chunk, self.accept, self.base_seed = chunk, accept, base_seed
        self._local = threading.local()

    def __call__(self, k):
        with torch.inference_mode():
            body = getattr(self._local, "body", None)
            if body is None:
                body = self._local.body = FoldedMLP(self.network.body, self.chunk)
            generator = make_generator(self.base_seed + k, self.device)
            raw = body(self.network.sample_latent(self.chunk, generator))
            # A float32 sum is one vectorised pass, finite when every value
            # is, unless finite values overflow it: the exact test decides then.
            if not torch.isfinite(raw.sum()) and not torch.isfinite(raw).all():
                raise RuntimeError(
                    "The fitted network generated NaN or infinite values; refit the "
                    "sampler, e.g. with a lower learning_rate."
                )
            numeric, codes = sampled_output(
                raw,
                self.transformer.output_spans_,
                generator=generator,
                numeric_std=self.network.numeric_std,  # a VAE decoder's noise, or None
                blocked=self.transformer.blocked_codes_,
            )
            columns = self.transformer.decode(numeric, codes)
            return columns, None if self.accept is None else self.accept(columns)


@contextmanager
def _one_torch_thread_each(n_workers):
    """Single-threaded torch ops while ``n_workers`` threads generate chunks side by side."""
    before = torch.get_num_threads()
    if n_workers > 1:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def generate_into(buffer, start, n_rows, *, network, transformer, generator, device, accept=None):
    """Decode ``n_rows`` generated rows into ``buffer`` from row ``start`` on.

    ``accept``, if given, maps decoded columns to a boolean mask of the rows to
    keep; rejected rows are replaced by later draws. The stream of drawn
    chunks is the same with or without ``accept``, so the filter changes only
    which rows are kept. After ``MAX_DRAWS_PER_ROW`` draws per row the
    remaining rows are kept unfiltered.

    On the CPU, as many threads as torch may use generate chunks side by side,
    each single-threaded: the decoding and copying between matrix products
    then run in parallel too. Chunks are kept in order, so the rows are the
    same for any number of threads.

    Returns
    -------
    n_drawn, n_unfiltered : int
        Rows generated in all, and rows kept without the filter's vote.
    """
    network.eval()
    chunk = min(GENERATION_CHUNK, max(n_rows, 1))
    base_seed = draw_torch_seed(generator)
    source = _ChunkSource(network, transformer, device, chunk, accept, base_seed)
    n_workers = torch.get_num_threads() if torch.device(device).type == "cpu" else 1
    budget = MAX_DRAWS_PER_ROW * n_rows
    written = n_drawn = n_unfiltered = next_chunk = 0
    in_flight = deque()
    pool = ThreadPoolExecutor(n_workers) if n_workers > 1 else None
    try:
        with _one_torch_thread_each(n_workers):
            while written < n_rows:
                # Keep every worker busy, without drawing chunks the rows cannot need.
                needed = -(-(n_rows - written) // chunk)
                while len(in_flight) < min(needed, n_workers + 1 if pool else 1):
                    k, next_chunk = next_chunk, next_chunk + 1
                    in_flight.append(pool.submit(source, k) if pool else source(k))
                drawn = in_flight.popleft()
                columns, mask = drawn.result() if pool else drawn
                wanted = n_rows - written
                if accept is not None and n_drawn < budget:
                    rows = np.flatnonzero(mask)[:wanted]
                else:
                    rows = np.arange(min(chunk, wanted))
                    if accept is not None:
                        n_unfiltered += len(rows)
                n_drawn += chunk
                buffer.write(start + written, columns, rows)
                written += len(rows)
    except torch.OutOfMemoryError as exc:
        raise MemoryError(
            f"The {device} device ran out of memory while generating rows; pass "
            "device='cpu' or generate fewer rows per call to sample()."
        ) from exc
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return n_drawn, n_unfiltered
