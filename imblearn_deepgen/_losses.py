"""Loss functions of the GAN and the VAE."""

import torch
from torch.nn import functional as F

from ._networks import activate_numeric, categorical_blocks


def discriminator_loss(real_scores, fake_scores):
    """Binary cross-entropy of the discriminator: real rows 1, generated rows 0."""
    # Logits + BCEWithLogits equals a sigmoid output + BCE, without its overflow.
    return F.binary_cross_entropy_with_logits(
        real_scores, torch.ones_like(real_scores)
    ) + F.binary_cross_entropy_with_logits(fake_scores, torch.zeros_like(fake_scores))


def generator_loss(fake_scores):
    """The non-saturating generator loss: generated rows scored as real."""
    return F.binary_cross_entropy_with_logits(fake_scores, torch.ones_like(fake_scores))


def moment_mismatch(real, fake):
    """Squared gap between the per-column means and standard deviations of two batches."""
    mean_gap = (fake.mean(dim=0) - real.mean(dim=0)).pow(2).mean()
    std_gap = (fake.std(dim=0) - real.std(dim=0)).pow(2).mean()
    return mean_gap + std_gap


def batch_moment_gap(real, fake, codes=None, correlation_share=3.0):
    """The GAN's moment term: mean and SD gap plus ``correlation_share`` x correlation gap.

    With class ``codes`` (a conditional model's batch, whose generated rows
    share the real rows' conditions) each class of the batch is compared with
    itself and the gaps are averaged: the moments of a batch that mixes
    classes would describe the gaps between the classes, not any one class.
    A class with fewer than two rows in the batch has no spread to compare.
    """
    if codes is None:
        return moment_mismatch(real, fake) + correlation_share * correlation_mismatch(real, fake)
    groups = [(real[codes == c], fake[codes == c]) for c in codes.unique()]
    gaps = [
        moment_mismatch(r, f) + correlation_share * correlation_mismatch(r, f)
        for r, f in groups
        if len(r) > 1
    ]
    return torch.stack(gaps).mean() if gaps else real.new_zeros(())


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

    The squared error leaves out missing values: a missing cell's value is
    no target, its indicator block is.

    Returns the total and its two parts, each averaged over the batch.
    """
    n_numeric = spans.n_numeric
    squared = (activate_numeric(raw, spans) - target[:, :n_numeric]).pow(2)
    if spans.masked_numeric:
        squared = squared * present_weights(target, spans)
    reconstruction = squared.sum(dim=1).mean()
    start = n_numeric
    for logits in categorical_blocks(raw, spans):
        size = logits.shape[1]
        labels = target[:, start : start + size].argmax(dim=1)
        reconstruction = reconstruction + F.cross_entropy(logits, labels)
        start += size
    kl = (-0.5 * (1.0 + log_var - mean.pow(2) - log_var.exp()).sum(dim=1)).mean()
    return reconstruction + kl_weight * kl, reconstruction, kl


def present_weights(encoded, spans):
    """Per numeric cell of encoded rows, 1 where its value is present and 0 where missing."""
    weights = torch.ones_like(encoded[:, : spans.n_numeric])
    masked = list(spans.masked_numeric)
    weights[:, masked] = encoded[:, list(spans.present_columns)]
    return weights
