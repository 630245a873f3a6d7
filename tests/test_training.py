"""The training loop's optimizer and the cost of a first fit."""

import subprocess
import sys

import numpy as np
import pytest
import torch

from imblearn_deepgen import GANOverSampler, VAEOverSampler
from imblearn_deepgen._training import FusedAdam


def _parameters(seed):
    generator = torch.Generator().manual_seed(seed)
    shapes = [(16, 8), (16,), (4, 16), (4,)]
    return [torch.nn.Parameter(torch.randn(shape, generator=generator)) for shape in shapes]


def test_fused_adam_updates_exactly_like_torch_adam():
    ours, theirs = _parameters(0), _parameters(0)
    fused = FusedAdam(ours, 2e-3, betas=(0.5, 0.999))
    reference = torch.optim.Adam(theirs, lr=2e-3, betas=(0.5, 0.999), fused=True)
    grads = torch.Generator().manual_seed(1)
    for step in range(30):
        # A loss linear in the parameters, whose gradient is the drawn one. The
        # last parameter is in it only every third step: both optimizers must
        # leave it, and its step count, alone in between.
        n_used = len(ours) if step % 3 == 0 else len(ours) - 1
        slopes = [torch.randn(p.shape, generator=grads) for p in ours[:n_used]]
        fused.minimise(sum((slope * p).sum() for slope, p in zip(slopes, ours, strict=False)))
        reference.zero_grad(set_to_none=True)
        sum((slope * p).sum() for slope, p in zip(slopes, theirs, strict=False)).backward()
        reference.step()
    for mine, other in zip(ours, theirs, strict=True):
        assert torch.equal(mine, other)
    assert not torch.equal(ours[0], _parameters(0)[0])


def test_a_first_fit_imports_neither_torch_dynamo_nor_sympy():
    # Constructing a torch.optim optimizer imports torch._dynamo, and
    # nn.utils.skip_init imports sympy: together they made the first fit in every
    # fresh process seconds slower than the next ones.
    code = (
        "import sys\n"
        "import numpy as np\n"
        "from imblearn_deepgen import GANOverSampler, VAEOverSampler\n"
        "X = np.random.default_rng(0).normal(size=(60, 3))\n"
        "y = np.r_[np.zeros(50), np.ones(10)]\n"
        "for cls in (GANOverSampler, VAEOverSampler):\n"
        "    cls(max_iter=5, random_state=0).fit_resample(X, y)\n"
        "for module in ('torch._dynamo', 'sympy'):\n"
        "    assert module not in sys.modules, f'{module} was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("make", [GANOverSampler, VAEOverSampler])
def test_auto_step_budget_follows_the_training_rows(make):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 3))
    y = np.r_[np.zeros(570, dtype=int), np.ones(30, dtype=int)]
    per_class = make(max_iter="auto", conditional=False, filters=None, random_state=0)
    per_class.fit_resample(X, y)
    # 30 rows in one full batch: 100 passes are 100 steps.
    assert per_class.n_iter_ == {1: 100} and per_class.batch_size_ == {1: 30}
    conditional = make(max_iter="auto", conditional=True, filters=None, random_state=0)
    conditional.fit_resample(X, y)
    # 600 rows in batches of 256: ceil(100 * 600 / 256) steps.
    assert conditional.n_iter_ == {1: 235}
    small_batches = make(
        max_iter="auto", conditional=False, batch_size=8, filters=None, random_state=0
    )
    small_batches.fit_resample(X, y)
    assert small_batches.n_iter_ == {1: 375}
    capped = make(max_iter="auto", conditional=False, batch_size=4, filters=None, random_state=0)
    capped.fit_resample(X, y)
    assert capped.n_iter_ == {1: 500}
