"""GANOverSampler: a generative adversarial network per oversampled class."""

import copy
import numbers

import torch
from imblearn.utils import Substitution
from sklearn.utils._param_validation import Interval

from ._losses import batch_moment_gap, discriminator_loss, generator_loss
from ._moments import match_missing_shares, match_output_moments
from ._networks import Discriminator, Generator, soft_output, with_condition
from ._training import FusedAdam, LossLog
from .base import (
    _RANDOM_STATE_DOCSTRING,
    _SHARED_ATTRIBUTES_DOCSTRING,
    _SHARED_PARAMETERS_DOCSTRING,
    BaseDeepOverSampler,
    _check_hidden,
)

# Temperature of the gumbel-softmax that makes category choices differentiable.
_GUMBEL_TAU = 0.2
# Adam's (beta1, beta2) for both networks: the usual GAN setting, a low beta1.
_BETAS = (0.5, 0.999)
# Values of the [0, 1] scale are kept this far from 0 and 1 before the logit.
_LOGIT_EPS = 1e-3


@Substitution(
    sampling_strategy=BaseDeepOverSampler._sampling_strategy_docstring,
    random_state=_RANDOM_STATE_DOCSTRING,
    shared=_SHARED_PARAMETERS_DOCSTRING.format(
        max_iter=500,
        network="generator",
        learning_rate="1e-3",
        conditional_default=False,
        conditional_reason=(
            "The GAN is trained per class by default: a conditional generator can\n"
            "        learn to ignore its condition, most of all for a small class, and\n"
            "        then generates the majority's rows for the minority."
        ),
        filters_default="('linear', 'classifier')",
    ),
    attributes=_SHARED_ATTRIBUTES_DOCSTRING.format(
        network="the GAN's generator",
        conditional_copies=" (with ``match_moments``, each class's own matched copy)",
    ),
)
class GANOverSampler(BaseDeepOverSampler):
    """Oversample with a generative adversarial network trained on each class.

    For every class to oversample, a generator and a discriminator (MLPs) are
    trained on that class's rows; the generator then produces the synthetic
    rows. With ``conditional=True`` one pair is trained on all classes, with
    the class as an extra input. Categorical columns get a gumbel-softmax
    output per column.

    Parameters
    ----------
    {sampling_strategy}

    {random_state}

    generator_hidden : tuple of int, default=(128, 128)
        Hidden layer widths of the generator (Linear -> BatchNorm -> ReLU). Its
        noise input has one dimension per feature of ``X``.

    discriminator_hidden : tuple of int, default=(64, 64)
        Hidden layer widths of the discriminator (Linear -> LeakyReLU(0.2)),
        trained with binary cross-entropy; the generator with the
        non-saturating loss. Both use Adam with betas (0.5, 0.999).

    moment_weight : float, default=1.0
        Weight of a term added to the generator loss: the squared gap between
        the per-column means and standard deviations of each generated batch
        and of the real batch, plus three times the squared gap between their
        column correlation matrices (with ``conditional=True``, of each class
        within the batch). It keeps the generator from shrinking the spread of
        the class or losing how its columns move together; 0 is the plain
        adversarial loss. The correlation part costs time on wide data: it
        grows with the square of the encoded width.

    match_moments : bool, default=True
        After training, refits the generator's output layer so that its
        numeric columns have the mean and covariance of the class's real rows
        (in the encoded space of ``numeric_transform``; the generator's side
        estimated from 4,096 draws). Rows that drift in mean, or spread too
        little along a direction in which the class hardly varies, turn a
        linear classifier toward that error; the match removes both and keeps
        the shape the generator learned. Numeric columns with missing values
        are left out of that match; instead the logit of each one's
        missingness indicator is shifted so that the generated missing share
        is the class's. Categorical columns are not changed.
        With ``conditional=True`` each class matches its own copy of the
        network. With ``numeric_transform='minmax'`` the match is made before
        the output's sigmoid, on the logit of the [0, 1] scale.

    {shared}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    VAEOverSampler : Oversample with a variational autoencoder.
    imblearn.over_sampling.SMOTE : Interpolation between neighbouring rows.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imblearn_deepgen import GANOverSampler
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> sampler = GANOverSampler(max_iter=50, random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sorted(Counter(y_res.tolist()).items())
    [(0, 269), (1, 269)]
    """

    _parameter_constraints: dict = {
        **BaseDeepOverSampler._parameter_constraints,
        "generator_hidden": [tuple, list],
        "discriminator_hidden": [tuple, list],
        "moment_weight": [Interval(numbers.Real, 0, None, closed="left")],
        "match_moments": ["boolean"],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        categorical_features="auto",
        missing_values="model",
        numeric_transform="quantile",
        conditional=False,
        filters=("linear", "classifier"),
        generator_hidden=(128, 128),
        discriminator_hidden=(64, 64),
        moment_weight=1.0,
        match_moments=True,
        learning_rate=1e-3,
        batch_size="auto",
        max_iter=500,
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
        self.generator_hidden = generator_hidden
        self.discriminator_hidden = discriminator_hidden
        self.moment_weight = moment_weight
        self.match_moments = match_moments
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.device = device
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _validate_hyperparameters(self):
        _check_hidden("generator_hidden", self.generator_hidden)
        _check_hidden("discriminator_hidden", self.discriminator_hidden)

    def _adapt_to_class(self, network, real_numeric, spans, generator):
        if not self.match_moments:
            return network
        network = copy.deepcopy(network)
        match_missing_shares(network, real_numeric, spans, generator)
        if self.numeric_transform == "minmax":
            # The output layer feeds a sigmoid: match in its own, logit space.
            real_numeric = torch.logit(real_numeric, eps=_LOGIT_EPS)
        match_output_moments(network, real_numeric, generator)
        return network

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
        net_g = Generator(
            self.n_features_in_,
            _check_hidden("generator_hidden", self.generator_hidden),
            spans.width,
            n_conditions=n_conditions,
            generator=generator,
        )
        net_d = Discriminator(
            spans.width + n_conditions,
            _check_hidden("discriminator_hidden", self.discriminator_hidden),
            generator=generator,
        )
        opt_g = FusedAdam(net_g.parameters(), learning_rate, _BETAS)
        opt_d = FusedAdam(net_d.parameters(), learning_rate, _BETAS)
        batches = self._batches(data.shape[0], batch_size, conditions, generator, device)
        log = LossLog(
            ("discriminator", "generator"),
            n_steps,
            device,
            verbose=self.verbose,
            description=description,
        )
        net_g.train()
        net_d.train()
        try:
            for _ in range(n_steps):
                rows = next(batches)
                real = data[rows]
                row_conditions = None if conditions is None else conditions[rows]
                codes = with_condition(net_g.sample_latent(len(rows), generator), row_conditions)
                fake = soft_output(net_g(codes), spans, tau=_GUMBEL_TAU, generator=generator)
                real_in = with_condition(real, row_conditions)
                fake_in = with_condition(fake, row_conditions)
                # One discriminator pass over real and fake rows together.
                scores = net_d(torch.cat([real_in, fake_in.detach()]))
                d_loss = discriminator_loss(scores[: len(rows)], scores[len(rows) :])
                opt_d.minimise(d_loss)
                # The generator learns from the same fake batch, scored by the updated critic.
                g_loss = generator_loss(net_d(fake_in))
                if self.moment_weight:
                    codes = None if conditions is None else row_conditions.argmax(dim=1)
                    g_loss = g_loss + self.moment_weight * batch_moment_gap(real, fake, codes)
                opt_g.minimise(g_loss)
                log.record(d_loss, g_loss)
        finally:
            log.close()
        return net_g, log.history()
