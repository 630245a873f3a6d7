"""Generation from a fitted network: folded layers, decoded chunk by chunk into the output.

Generating millions of rows is bound by memory traffic, not arithmetic: every
out-of-place BatchNorm or ReLU writes a fresh chunk-sized tensor. Generation
therefore runs the network's ``body`` as folded affine layers (eval-mode
BatchNorm merged into the preceding Linear) writing into reused buffers, with
ReLU applied in place, on chunks small enough to stay in the CPU cache.
"""

import numpy as np
import torch
from torch import nn

from ._networks import sampled_output

# Rows per chunk: intermediates of 8,192 x 128 float32 stay cache-sized on a
# CPU, and the per-chunk Python overhead stays small beside the arithmetic.
GENERATION_CHUNK = 8_192

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
                torch.empty(max_rows, len(bias), device=device),
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
            torch.empty(len(bias), max_rows, device=device),
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


def generate_into(buffer, start, n_rows, *, network, transformer, generator, device, accept=None):
    """Decode ``n_rows`` generated rows into ``buffer`` from row ``start`` on.

    ``accept``, if given, maps decoded columns to a boolean mask of the rows to
    keep; rejected rows are replaced by later draws. Chunks have the same size
    with or without ``accept``, so the stream of drawn rows is the same and the
    filter changes only which of them are kept. After ``MAX_DRAWS_PER_ROW``
    draws per row the remaining rows are kept unfiltered.

    Returns
    -------
    n_drawn, n_unfiltered : int
        Rows generated in all, and rows kept without the filter's vote.
    """
    network.eval()
    spans = transformer.output_spans_
    numeric_std = network.numeric_std  # a VAE decoder's likelihood noise, or None
    chunk = min(GENERATION_CHUNK, max(n_rows, 1))
    budget = MAX_DRAWS_PER_ROW * n_rows
    written = n_drawn = n_unfiltered = 0
    try:
        with torch.inference_mode():
            body = FoldedMLP(network.body, chunk)
            while written < n_rows:
                raw = body(network.sample_latent(chunk, generator))
                # A float32 sum is one vectorised pass, finite when every value
                # is, unless finite values overflow it: the exact test decides then.
                if not torch.isfinite(raw.sum()) and not torch.isfinite(raw).all():
                    raise RuntimeError(
                        "The fitted network generated NaN or infinite values; refit the "
                        "sampler, e.g. with a lower learning_rate."
                    )
                numeric, codes = sampled_output(
                    raw, spans, generator=generator, numeric_std=numeric_std
                )
                columns = transformer.decode(numeric, codes)
                wanted = n_rows - written
                if accept is not None and n_drawn < budget:
                    rows = np.flatnonzero(accept(columns))[:wanted]
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
    return n_drawn, n_unfiltered
