"""Pure torch modules: MLP blocks, GAN and VAE networks, the span-aware output head.

Every module is built on the device of an explicit :class:`torch.Generator` and
initialised from it: layers are created uninitialised, so the global torch RNG is
never touched.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

_ACTIVATIONS = {
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(0.2),
}


def _seeded_linear(n_in, n_out, generator):
    # Built on the meta device, nn.Linear's default init draws nothing from the
    # global RNG; its parameters are then replaced by ones drawn from `generator`.
    # (nn.utils.skip_init does the same through to_empty, whose first call imports
    # sympy: half a second on the first fit of a process.)
    layer = nn.Linear(n_in, n_out, device="meta")
    bound = 1.0 / math.sqrt(n_in)
    layer.weight = _uniform_parameter((n_out, n_in), bound, generator)
    layer.bias = _uniform_parameter((n_out,), bound, generator)
    return layer


def _uniform_parameter(shape, bound, generator):
    values = torch.empty(shape, dtype=torch.float32, device=generator.device)
    return nn.Parameter(values.uniform_(-bound, bound, generator=generator))


def mlp(n_in, hidden, n_out, *, activation, batchnorm, generator):
    """Linear -> [BatchNorm] -> activation blocks, then a linear output layer."""
    layers = []
    width = n_in
    for size in hidden:
        layers.append(_seeded_linear(width, size, generator))
        if batchnorm:
            layers.append(nn.BatchNorm1d(size, device=generator.device, dtype=torch.float32))
        layers.append(_ACTIVATIONS[activation]())
        width = size
    layers.append(_seeded_linear(width, n_out, generator))
    return nn.Sequential(*layers)


def _standard_normal(n_rows, latent_dim, generator):
    return torch.randn(
        n_rows, latent_dim, generator=generator, dtype=torch.float32, device=generator.device
    )


class Generator(nn.Module):
    """Maps latent noise (plus a class condition, if any) to the raw encoded row."""

    # A GAN's output is its sample: no noise is added at generation.
    numeric_std = None

    def __init__(self, latent_dim, hidden, n_out, *, n_conditions=0, generator):
        super().__init__()
        self.latent_dim = latent_dim
        self.body = mlp(
            latent_dim + n_conditions,
            hidden,
            n_out,
            activation="relu",
            batchnorm=True,
            generator=generator,
        )

    def sample_latent(self, n_rows, generator):
        return _standard_normal(n_rows, self.latent_dim, generator)

    def forward(self, z):
        return self.body(z)


class Discriminator(nn.Module):
    """Scores encoded rows (plus their class condition, if any): one logit per row."""

    def __init__(self, n_in, hidden, *, generator):
        super().__init__()
        self.body = mlp(
            n_in, hidden, 1, activation="leaky_relu", batchnorm=False, generator=generator
        )

    def forward(self, x):
        return self.body(x).squeeze(-1)


class Encoder(nn.Module):
    """Maps an encoded row to the mean and log-variance of its latent code."""

    def __init__(self, n_in, hidden, latent_dim, *, generator):
        super().__init__()
        self.body = mlp(
            n_in, hidden, 2 * latent_dim, activation="relu", batchnorm=False, generator=generator
        )

    def forward(self, x):
        mean, log_var = self.body(x).chunk(2, dim=-1)
        # Bounded log-variance keeps exp() finite on degenerate (constant) classes.
        return mean, log_var.clamp(-12.0, 8.0)


class Decoder(nn.Module):
    """Maps a latent code (plus a class condition, if any) to the raw encoded row."""

    def __init__(self, latent_dim, hidden, n_out, *, n_conditions=0, generator):
        super().__init__()
        self.latent_dim = latent_dim
        self.body = mlp(
            latent_dim + n_conditions,
            hidden,
            n_out,
            activation="relu",
            batchnorm=False,
            generator=generator,
        )
        # Per numeric column, the noise of a draw from the likelihood (None: the mean).
        self.register_buffer("numeric_std", None)

    def sample_latent(self, n_rows, generator):
        """Codes from the standard-normal prior."""
        return _standard_normal(n_rows, self.latent_dim, generator)

    def forward(self, z):
        return self.body(z)


class ClassConditioned(nn.Module):
    """A conditional network fixed to one class.

    Its codes end with the class's one-hot condition, so the shared network
    trained on all classes generates rows of this class.
    """

    def __init__(self, network, condition):
        super().__init__()
        self.network = network
        self.register_buffer("condition", condition)

    def sample_latent(self, n_rows, generator):
        codes = self.network.sample_latent(n_rows, generator)
        return torch.cat([codes, self.condition.expand(n_rows, -1)], dim=1)

    @property
    def body(self):
        return self.network.body

    @property
    def numeric_std(self):
        # A conditional decoder keeps one row of likelihood noise per class.
        std = self.network.numeric_std
        return std if std is None or std.ndim == 1 else std[self.condition.argmax()]

    def forward(self, z):
        return self.network(z)


def with_condition(x, conditions):
    """Append the rows' one-hot class conditions to ``x``; unconditional when None."""
    return x if conditions is None else torch.cat([x, conditions], dim=1)


def activate_numeric(raw, spans):
    """Output activation of the numeric block (first ``spans.n_numeric`` columns)."""
    numeric = raw[:, : spans.n_numeric]
    return torch.sigmoid(numeric) if spans.numeric_activation == "sigmoid" else numeric


def categorical_blocks(raw, spans):
    """Yield the logit block of each categorical column, in order."""
    start = spans.n_numeric
    for size in spans.category_sizes:
        yield raw[:, start : start + size]
        start += size


def _gumbel(shape, generator, device):
    uniform = torch.rand(shape, generator=generator, dtype=torch.float32, device=device)
    return -torch.log(-torch.log(uniform.clamp_(1e-10, 1.0 - 1e-7)))


def soft_output(raw, spans, *, tau, generator):
    """Differentiable output: numeric activation plus gumbel-softmax per category block.

    A numeric value with a missingness indicator is multiplied by the
    indicator's "present" probability, as the real rows hold 0 where the value
    is missing: the value channel of a missing cell is then the same for real
    and generated rows, and teaches the generator nothing.
    """
    numeric = activate_numeric(raw, spans)
    blocks = []
    for logits in categorical_blocks(raw, spans):
        noise = _gumbel(logits.shape, generator, logits.device)
        blocks.append(F.softmax((logits + noise) / tau, dim=-1))
    if spans.masked_numeric:
        masked = torch.as_tensor(spans.masked_numeric, device=raw.device)
        present = torch.stack([block[:, 0] for block in blocks[-len(masked) :]], dim=1)
        numeric = numeric.index_copy(1, masked, numeric[:, masked] * present)
    return torch.cat([numeric, *blocks], dim=1)


def sampled_output(raw, spans, *, generator, numeric_std=None, blocked=None):
    """Generation output: the activated numeric block and a category drawn per block.

    Drawing from the softmax (gumbel-max) rather than taking the argmax keeps
    the frequencies of rare categories instead of collapsing onto the mode.
    ``numeric_std``, if given, adds Gaussian noise of that standard deviation
    to each numeric column: a draw from a VAE decoder's likelihood rather than
    its mean. ``blocked``, if given, holds per block None or a boolean tensor
    of the positions never to draw.

    Returns
    -------
    numeric : torch.Tensor of shape (n_rows, spans.n_numeric)
        In the memory layout of ``raw`` (column-major from generation).
    codes : list of torch.Tensor of shape (n_rows,)
        The drawn category's position in each categorical block.
    """
    numeric = activate_numeric(raw, spans)
    if numeric_std is not None:
        # Noise drawn in the numeric block's own layout keeps the sum in that layout.
        noise = torch.randn(
            numeric.T.shape, generator=generator, dtype=numeric.dtype, device=numeric.device
        )
        numeric = numeric + noise.T * numeric_std
    codes = []
    for k, logits in enumerate(categorical_blocks(raw, spans)):
        scores = logits + _gumbel(logits.shape, generator, logits.device)
        if blocked is not None and blocked[k] is not None:
            scores = scores.masked_fill(blocked[k].to(scores.device), -torch.inf)
        codes.append(scores.argmax(dim=1))
    return numeric, codes
