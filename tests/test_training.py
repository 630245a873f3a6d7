"""The training loop's optimizer and the cost of a first fit."""

import subprocess
import sys

import torch

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
        fused.zero_grad()
        reference.zero_grad(set_to_none=True)
        for i, (mine, other) in enumerate(zip(ours, theirs, strict=True)):
            # The last parameter gets a gradient only every third step: both
            # optimizers must leave it, and its step count, alone in between.
            if i == len(ours) - 1 and step % 3:
                continue
            grad = torch.randn(mine.shape, generator=grads)
            mine.grad, other.grad = grad.clone(), grad.clone()
        fused.step()
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
