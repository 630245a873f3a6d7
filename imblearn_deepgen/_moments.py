"""Moment matching: a trained network's output given its class's moments.

Numeric columns get the class's mean and covariance; each missingness
indicator the class's missing share.

A linear classifier weighs the classes' means against their covariance. When a
generator's rows drift in mean, or spread less than the class along a direction
in which the class hardly varies, the synthetic rows dominate the oversampled
class and the classifier turns toward that artefact, away from the boundary of
the real rows. An affine map of the encoded numeric columns, folded into the
network's output layer, removes both errors and leaves the shape of the
generated distribution as the network learned it.
"""

import torch

# Draws that estimate the network's output moments: enough for a covariance of
# a few dozen columns, a fraction of the cost of training.
N_MOMENT_DRAWS = 4096

# Eigenvalues below this share of the largest are raised to it, so that a
# direction the network or the class does not vary in stays finite.
_EIGENVALUE_FLOOR = 1e-4


def _matrix_power(covariance, power):
    """``covariance ** power`` of a symmetric positive semi-definite matrix."""
    values, vectors = torch.linalg.eigh(covariance)
    floor = values.max().clamp(min=1e-12) * _EIGENVALUE_FLOOR
    return (vectors * values.clamp(min=floor) ** power) @ vectors.T


def match_output_moments(network, real_numeric, generator):
    """Refit the last layer of ``network.body`` so its numeric outputs match the real rows.

    Parameters
    ----------
    network : torch.nn.Module
        A trained network with ``sample_latent`` and ``body`` (ending in a
        Linear layer).
    real_numeric : torch.Tensor of shape (n_rows, n_numeric)
        The class's real rows, numeric columns only (the first columns of the
        network's output), in the space of that layer's output: before any
        output activation. Only columns without a missing (NaN) value are
        matched; the others keep the network's output.
    generator : torch.Generator
        Draws the latent codes that estimate the network's moments.

    Notes
    -----
    Generated rows ``x`` become ``(x - mean_g) @ M + mean_r`` with
    ``M = C_g^(-1/2) C_r^(1/2)``: whitened by the generated covariance,
    then coloured by the real one, so that ``M.T @ C_g @ M = C_r``.
    """
    complete = ~torch.isnan(real_numeric).any(dim=0)
    columns = torch.nonzero(complete).flatten()
    if len(columns) == 0 or real_numeric.shape[0] < 2:
        return
    network.eval()
    with torch.no_grad():
        generated = network.body(network.sample_latent(N_MOMENT_DRAWS, generator))
        generated = generated[:, columns].double()
        real = real_numeric[:, columns].double()
        target = torch.atleast_2d(torch.cov(real.T))
        mapping = _matrix_power(torch.atleast_2d(torch.cov(generated.T)), -0.5) @ _matrix_power(
            target, 0.5
        )
        output = network.body[-1]
        weight = output.weight[columns].double()
        bias = output.bias[columns].double()
        output.weight[columns] = (mapping.T @ weight).to(output.weight.dtype)
        output.bias[columns] = ((bias - generated.mean(0)) @ mapping + real.mean(0)).to(
            output.bias.dtype
        )


def match_missing_shares(network, real_numeric, spans, generator):
    """Shift each missingness indicator's logit so the generated missing share is the class's.

    A row's value is missing with probability ``sigmoid(d + shift)``, ``d``
    the network's gap between the "missing" and "present" logits; the shift,
    found by bisection over ``N_MOMENT_DRAWS`` draws, is added to the output
    layer's "missing" bias. The network keeps which rows it makes missing,
    only their share moves. Columns the class never or always misses are
    left alone: generation blocks those outcomes.

    Parameters
    ----------
    network : torch.nn.Module
        A trained network with ``sample_latent`` and ``body``.
    real_numeric : torch.Tensor of shape (n_rows, n_numeric)
        The class's real numeric columns, NaN where missing.
    spans : OutputSpans
        The layout of the network's output.
    generator : torch.Generator
        Draws the latent codes.
    """
    if not spans.masked_numeric or real_numeric.shape[0] == 0:
        return
    network.eval()
    with torch.no_grad():
        raw = network.body(network.sample_latent(N_MOMENT_DRAWS, generator)).double()
        output = network.body[-1]
        for position, present in zip(spans.masked_numeric, spans.present_columns, strict=True):
            share = torch.isnan(real_numeric[:, position]).double().mean()
            if share in (0.0, 1.0):
                continue
            gap = raw[:, present + 1] - raw[:, present]
            low, high = -_MAX_LOGIT_SHIFT, _MAX_LOGIT_SHIFT
            for _ in range(_BISECTION_STEPS):
                middle = (low + high) / 2
                if torch.sigmoid(gap + middle).mean() < share:
                    low = middle
                else:
                    high = middle
            output.bias[present + 1] += (low + high) / 2


# Bisection of a logit shift: its range and steps (a share to within 1e-6).
_MAX_LOGIT_SHIFT = 30.0
_BISECTION_STEPS = 40
