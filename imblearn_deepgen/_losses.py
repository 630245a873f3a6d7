"""Loss functions of the GAN and the VAE."""

import torch
from torch.nn import functional as F

from ._networks import activate_numeric, categorical_blocks

GAN_LOSSES = ("bce", "wgan-gp")


def discriminator_loss(loss, real_scores, fake_scores):
    """Loss of the discriminator (``'bce'``) or critic (``'wgan-gp'``, before the penalty)."""
    if loss == "bce":
        # Logits + BCEWithLogits equals a sigmoid output + BCE, without its overflow.
        return F.binary_cross_entropy_with_logits(
            real_scores, torch.ones_like(real_scores)
        ) + F.binary_cross_entropy_with_logits(fake_scores, torch.zeros_like(fake_scores))
    return fake_scores.mean() - real_scores.mean()


def generator_loss(loss, fake_scores):
    """Non-saturating BCE, or the negated critic score for WGAN."""
    if loss == "bce":
        return F.binary_cross_entropy_with_logits(fake_scores, torch.ones_like(fake_scores))
    return -fake_scores.mean()


def gradient_penalty(critic, real, fake, generator):
    """WGAN-GP penalty: (||grad critic|| - 1)^2 on random points between real and fake."""
    alpha = torch.rand(real.shape[0], 1, generator=generator, device=real.device)
    between = (alpha * real + (1.0 - alpha) * fake).requires_grad_(True)
    scores = critic(between)
    (grad,) = torch.autograd.grad(scores.sum(), between, create_graph=True)
    # One gradient per critic input: rows packed together share one norm.
    return ((grad.reshape(len(scores), -1).norm(2, dim=1) - 1.0) ** 2).mean()


def moment_mismatch(real, fake):
    """Squared gap between the per-column means and standard deviations of two batches."""
    mean_gap = (fake.mean(dim=0) - real.mean(dim=0)).pow(2).mean()
    std_gap = (fake.std(dim=0) - real.std(dim=0)).pow(2).mean()
    return mean_gap + std_gap


def correlation_mismatch(real, fake):
    """Mean squared gap between the column correlation matrices of two batches."""
    return (_correlation_matrix(fake) - _correlation_matrix(real)).pow(2).mean()


def _correlation_matrix(rows):
    # torch's std has a zero gradient for a constant column (a category that is
    # the only one of its column), where a hand-written sqrt would give NaN; the
    # small constant keeps such a column at zero correlation.
    scaled = (rows - rows.mean(dim=0)) / (rows.std(dim=0, correction=0) + 1e-6)
    return scaled.T @ scaled / len(rows)


def vae_loss(raw, target, spans, mean, log_var, kl_weight):
    """Negative ELBO per row: reconstruction (squared error + cross-entropy) plus weighted KL.

    Returns the total and its two parts, each averaged over the batch.
    """
    n_numeric = spans.n_numeric
    reconstruction = (
        (activate_numeric(raw, spans) - target[:, :n_numeric]).pow(2).sum(dim=1).mean()
    )
    start = n_numeric
    for logits in categorical_blocks(raw, spans):
        size = logits.shape[1]
        labels = target[:, start : start + size].argmax(dim=1)
        reconstruction = reconstruction + F.cross_entropy(logits, labels)
        start += size
    kl = (-0.5 * (1.0 + log_var - mean.pow(2) - log_var.exp()).sum(dim=1)).mean()
    return reconstruction + kl_weight * kl, reconstruction, kl
