"""VAEOverSampler: a variational autoencoder, one conditional model of all classes by default."""

import numbers

import torch
from imblearn.utils import Substitution
from sklearn.utils._param_validation import Interval

from ._losses import present_weights, vae_loss
from ._networks import Decoder, Encoder, activate_numeric, with_condition
from ._training import FusedAdam, LossLog
from .base import (
    _RANDOM_STATE_DOCSTRING,
    _SHARED_ATTRIBUTES_DOCSTRING,
    _SHARED_PARAMETERS_DOCSTRING,
    BaseDeepOverSampler,
    _check_hidden,
)


@Substitution(
    sampling_strategy=BaseDeepOverSampler._sampling_strategy_docstring,
    random_state=_RANDOM_STATE_DOCSTRING,
    shared=_SHARED_PARAMETERS_DOCSTRING.format(
        max_iter="'auto'",
        network="encoder and decoder",
        learning_rate="1e-3",
        conditional_default=True,
        conditional_reason=(
            "The VAE is conditional by default: its reconstruction term ties every\n"
            "        decoded row to a real row of the condition it was given, so the\n"
            "        decoder cannot drift to another class's rows, while the other\n"
            "        classes' rows teach it the structure the classes share."
        ),
        filters_default="'classifier'",
    ),
    attributes=_SHARED_ATTRIBUTES_DOCSTRING.format(
        network="the VAE's decoder", conditional_copies=""
    ),
)
class VAEOverSampler(BaseDeepOverSampler):
    """Oversample with a conditional variational autoencoder of all classes.

    An encoder and a decoder (MLPs) are trained on the rows of every class,
    with the class as an extra input of both, by maximising the evidence lower
    bound (reconstruction + ``kl_weight`` x KL divergence to a standard normal
    prior); a class's synthetic rows are decoded from latent codes drawn from
    the prior, given that class. Numeric columns are reconstructed with squared
    error, categorical columns with a cross-entropy per column. With
    ``conditional=False`` one encoder and decoder are trained per class to
    oversample, on that class's rows only.

    Parameters
    ----------
    {sampling_strategy}

    {random_state}

    encoder_hidden : tuple of int, default=(64, 64)
        Hidden layer widths of the encoder (Linear -> ReLU); its output layer
        has ``2 * latent_dim`` units (mean and log-variance). The decoder
        mirrors them.

    latent_dim : int, default=8
        Size of the latent code.

    kl_weight : float, default=0.5
        Weight of the KL term in the loss (``beta`` of a beta-VAE). Lower
        values give sharper, less diverse rows.

    output_noise : float, default=0.7
        Gaussian noise added to each generated numeric column (in the space of
        ``numeric_transform``), in units of that column's reconstruction error:
        the root mean squared error of the trained VAE on the class's training
        rows, measured once after training. ``0`` keeps the decoder's mean for each
        code, which is less spread than the real rows, since the decoder
        averages over what a code cannot tell apart; ``1`` draws from the
        Gaussian likelihood whose standard deviation is that error. Categorical columns
        are always drawn from the decoder's probabilities.

    {shared}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    GANOverSampler : Oversample with a generative adversarial network.
    imblearn.over_sampling.SMOTE : Interpolation between neighbouring rows.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imblearn_deepgen import VAEOverSampler
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> sampler = VAEOverSampler(max_iter=50, random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sorted(Counter(y_res.tolist()).items())
    [(0, 269), (1, 269)]
    """

    _parameter_constraints: dict = {
        **BaseDeepOverSampler._parameter_constraints,
        "encoder_hidden": [tuple, list],
        "latent_dim": [Interval(numbers.Integral, 1, None, closed="left")],
        "kl_weight": [Interval(numbers.Real, 0, None, closed="left")],
        "output_noise": [Interval(numbers.Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        categorical_features="auto",
        missing_values="model",
        numeric_transform="quantile",
        conditional=True,
        filters="classifier",
        encoder_hidden=(64, 64),
        latent_dim=8,
        kl_weight=0.5,
        output_noise=0.7,
        learning_rate=1e-3,
        batch_size="auto",
        max_iter="auto",
        device="auto",
        n_jobs=None,
        verbose=0,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.categorical_features = categorical_features
        self.missing_values = missing_values
        self.numeric_transform = numeric_transform
        self.conditional = conditional
        self.filters = filters
        self.encoder_hidden = encoder_hidden
        self.latent_dim = latent_dim
        self.kl_weight = kl_weight
        self.output_noise = output_noise
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.device = device
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _validate_hyperparameters(self):
        _check_hidden("encoder_hidden", self.encoder_hidden)

    def _train_class(
        self,
        data,
        spans,
        generator,
        device,
        *,
        learning_rate,
        batch_size,
        n_steps,
        description,
        conditions=None,
    ):
        n_conditions = 0 if conditions is None else conditions.shape[1]
        encoder_hidden = _check_hidden("encoder_hidden", self.encoder_hidden)
        encoder = Encoder(
            spans.width + n_conditions, encoder_hidden, self.latent_dim, generator=generator
        )
        decoder = Decoder(
            self.latent_dim,
            encoder_hidden[::-1],
            spans.width,
            n_conditions=n_conditions,
            generator=generator,
        )
        optimizer = FusedAdam([*encoder.parameters(), *decoder.parameters()], learning_rate)
        batches = self._batches(data.shape[0], batch_size, conditions, generator, device)
        log = LossLog(
            ("loss", "reconstruction", "kl"),
            n_steps,
            device,
            verbose=self.verbose,
            description=description,
        )
        encoder.train()
        decoder.train()
        try:
            for _ in range(n_steps):
                batch = next(batches)
                rows = data[batch]
                row_conditions = None if conditions is None else conditions[batch]
                mean, log_var = encoder(with_condition(rows, row_conditions))
                noise = torch.randn(
                    mean.shape, generator=generator, dtype=mean.dtype, device=device
                )
                code = mean + (0.5 * log_var).exp() * noise
                loss, reconstruction, kl = vae_loss(
                    decoder(with_condition(code, row_conditions)),
                    rows,
                    spans,
                    mean,
                    log_var,
                    self.kl_weight,
                )
                optimizer.minimise(loss)
                log.record(loss, reconstruction, kl)
        finally:
            log.close()
        if self.output_noise and spans.n_numeric:
            encoder.eval()
            with torch.no_grad():
                means, log_vars = encoder(with_condition(data, conditions))
                error = _reconstruction_error(
                    decoder, data, conditions, spans, means, (0.5 * log_vars).exp(), generator
                )
                decoder.numeric_std = self.output_noise * error
        return decoder, log.history()


def _reconstruction_error(decoder, data, conditions, spans, means, stds, generator):
    """Per numeric column, the root mean squared error of reconstructions from drawn codes.

    With class ``conditions`` one row per class, each from that class's rows: the
    noise a class's rows get follows that class's own error, not all classes'.
    """
    noise = torch.randn(means.shape, generator=generator, dtype=means.dtype, device=means.device)
    codes = means + stds * noise
    decoded = activate_numeric(decoder(with_condition(codes, conditions)), spans)
    squared = (decoded - data[:, : spans.n_numeric]).pow(2)
    if spans.masked_numeric:
        # Only present values count; a column without any keeps no noise.
        present = present_weights(data, spans)
        if conditions is None:
            return ((squared * present).sum(dim=0) / present.sum(dim=0).clamp(min=1.0)).sqrt()
        error = conditions.T @ (squared * present)
        return (error / (conditions.T @ present).clamp(min=1.0)).sqrt()
    if conditions is None:
        return squared.mean(dim=0).sqrt()
    return ((conditions.T @ squared) / conditions.sum(dim=0)[:, None]).sqrt()
