"""Loop pieces shared by the GAN and VAE trainers: batching and the loss log."""

import numpy as np
import torch
from tqdm.auto import tqdm

# Losses stay on the device and are checked for NaN/inf every this many steps:
# checking every step would force a host-device sync per step.
_CHECK_EVERY = 50


class NonFiniteTrainingError(RuntimeError):
    """A loss or a generated value became NaN or infinite during training."""


def batch_indices(n_rows, batch_size, generator, device):
    """Endless stream of row-index batches, reshuffled every epoch.

    When the class fits in one batch every step sees all of its rows; otherwise
    each epoch is a fresh permutation cut into full batches (the remainder is
    dropped, which keeps batch statistics stable for BatchNorm).
    """
    if n_rows <= batch_size:
        everything = torch.arange(n_rows, device=device)
        while True:
            yield everything
    n_batches = n_rows // batch_size
    while True:
        order = torch.randperm(n_rows, generator=generator, device=device)
        for b in range(n_batches):
            yield order[b * batch_size : (b + 1) * batch_size]


def balanced_batch_indices(class_codes, batch_size, generator, device):
    """Endless stream of row-index batches in which every class is equally likely.

    Conditional training sees all classes; drawing a class uniformly, then a
    row of it, keeps a class of a few dozen rows from vanishing among
    thousands of majority rows.
    """
    codes = torch.as_tensor(class_codes, device=device)
    by_class = torch.argsort(codes, stable=True)
    counts = torch.bincount(codes)
    starts = torch.cumsum(counts, 0) - counts
    while True:
        classes = torch.randint(len(counts), (batch_size,), generator=generator, device=device)
        sizes = counts[classes]
        uniform = torch.rand(batch_size, generator=generator, device=device)
        offsets = torch.minimum((uniform * sizes).long(), sizes - 1)
        yield by_class[starts[classes] + offsets]


def make_adam(parameters, learning_rate, betas=(0.9, 0.999)):
    """Adam with the fused kernel: one call per step instead of one per tensor."""
    return torch.optim.Adam(parameters, lr=learning_rate, betas=betas, fused=True)


class LossLog:
    """Per-iteration losses kept on the device, with a progress bar and a NaN guard."""

    def __init__(self, names, n_iter, device, *, verbose, description):
        self.names = tuple(names)
        self.values = torch.zeros(n_iter, len(self.names), device=device)
        self.n_done = 0
        self._checked = 0
        self._bar = tqdm(total=n_iter, desc=description, disable=not verbose, leave=False)

    def record(self, *losses):
        """Store this iteration's losses; raise if recent ones are not finite."""
        self.values[self.n_done] = torch.stack([loss.detach().float() for loss in losses])
        self.n_done += 1
        if self.n_done - self._checked >= _CHECK_EVERY or self.n_done == len(self.values):
            self._check()

    def _check(self):
        recent = self.values[self._checked : self.n_done]
        finite = torch.isfinite(recent).all(dim=1).cpu().numpy()
        if not finite.all():
            step = self._checked + int(np.argmin(finite))
            self.close()
            raise NonFiniteTrainingError(f"a training loss became NaN or infinite at step {step}")
        self._bar.update(self.n_done - self._checked)
        last = recent[-1].cpu().numpy()
        self._bar.set_postfix({n: f"{v:.3g}" for n, v in zip(self.names, last, strict=True)})
        self._checked = self.n_done

    def close(self):
        self._bar.close()

    def history(self):
        """Losses of the iterations run, as {name: float ndarray}."""
        self.close()
        done = self.values[: self.n_done].cpu().numpy().astype(np.float64)
        return {name: done[:, i] for i, name in enumerate(self.names)}
