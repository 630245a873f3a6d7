"""Loop pieces shared by the GAN and VAE trainers: batching, the optimizer, the loss log."""

import numpy as np
import torch
from torch.optim.adam import adam
from tqdm.auto import tqdm

# Losses stay on the device and are checked for NaN/inf every this many steps:
# checking every step would force a host-device sync per step.
_CHECK_EVERY = 50


class NonFiniteTrainingError(RuntimeError):
    """A loss or a generated value became NaN or infinite during training."""


def evenly_spaced_rows(y, limit):
    """Sorted row indices that keep at most ``limit`` evenly spaced rows of each class.

    A smaller class keeps every row; a larger one keeps rows spread over its
    whole extent (in the user's order), so that the cost of what is fitted on
    them stays bounded however large the class.
    """
    kept = []
    for label in np.unique(y):
        rows = np.flatnonzero(y == label)
        if len(rows) > limit:
            rows = rows[np.linspace(0, len(rows) - 1, limit).round().astype(int)]
        kept.append(rows)
    return np.sort(np.concatenate(kept))


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
        uniform = torch.rand(batch_size, generator=generator, dtype=torch.float32, device=device)
        offsets = torch.minimum((uniform * sizes).long(), sizes - 1)
        yield by_class[starts[classes] + offsets]


class FusedAdam:
    """Adam with torch's fused kernel, called through its functional API.

    The update is ``torch.optim.Adam(fused=True)``'s, bit for bit, without the
    ``Optimizer`` machinery around it: constructing an ``Optimizer`` imports
    ``torch._dynamo`` (about two seconds in a fresh process, so every first fit paid
    it), and each of its steps adds hooks and profiler records around the kernel.
    """

    def __init__(self, parameters, learning_rate, betas=(0.9, 0.999)):
        self.params = list(parameters)
        self.learning_rate = learning_rate
        self.betas = betas
        self._exp_avgs = [torch.zeros_like(p) for p in self.params]
        self._exp_avg_sqs = [torch.zeros_like(p) for p in self.params]
        # Per-parameter step counts as the fused kernel wants them: float32 on the device.
        self._steps = [torch.zeros((), dtype=torch.float32, device=p.device) for p in self.params]

    def minimise(self, loss):
        """One Adam step on this optimiser's parameters down the gradient of ``loss``.

        Only these parameters' gradients are computed: a GAN's generator loss
        runs through the discriminator, whose own weight gradients the
        generator's step does not need.
        """
        grads = torch.autograd.grad(loss, self.params, allow_unused=True)
        self._step(grads)

    @torch.no_grad()
    def _step(self, grads):
        # Like torch.optim.Adam, a parameter without a gradient is left alone.
        used = [i for i, grad in enumerate(grads) if grad is not None]
        adam(
            [self.params[i] for i in used],
            [grads[i] for i in used],
            [self._exp_avgs[i] for i in used],
            [self._exp_avg_sqs[i] for i in used],
            [],
            [self._steps[i] for i in used],
            fused=True,
            amsgrad=False,
            beta1=self.betas[0],
            beta2=self.betas[1],
            lr=self.learning_rate,
            weight_decay=0.0,
            eps=1e-8,
            maximize=False,
        )


class LossLog:
    """Per-iteration losses kept on the device, with a progress bar and a NaN guard."""

    def __init__(self, names, n_iter, device, *, verbose, description):
        self.names = tuple(names)
        self.values = torch.zeros(n_iter, len(self.names), dtype=torch.float32, device=device)
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
