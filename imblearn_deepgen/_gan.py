"""GANOverSampler: a generative adversarial network per oversampled class."""

import numbers

import torch
from imblearn.utils import Substitution
from imblearn.utils._docstring import _random_state_docstring
from sklearn.utils._param_validation import Interval, StrOptions
from torch.nn import functional as F

from ._losses import (
    GAN_LOSSES,
    correlation_mismatch,
    discriminator_loss,
    generator_loss,
    gradient_penalty,
    moment_mismatch,
)
from ._networks import Discriminator, Generator, mlp, soft_output, with_condition
from ._training import FusedAdam, LossLog
from .base import (
    _SHARED_ATTRIBUTES_DOCSTRING,
    _SHARED_PARAMETERS_DOCSTRING,
    BaseDeepOverSampler,
    _check_hidden,
)

# Temperature of the gumbel-softmax that makes category choices differentiable.
_GUMBEL_TAU = 0.2
_GRADIENT_PENALTY_WEIGHT = 10.0


@Substitution(
    sampling_strategy=BaseDeepOverSampler._sampling_strategy_docstring,
    random_state=_random_state_docstring,
    shared=_SHARED_PARAMETERS_DOCSTRING.format(
        max_iter=500, network="generator", learning_rate="1e-3"
    ),
    attributes=_SHARED_ATTRIBUTES_DOCSTRING.format(network="the GAN's generator"),
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
        Hidden layer widths of the generator (Linear -> [BatchNorm] -> ReLU).

    discriminator_hidden : tuple of int, default=(64, 64)
        Hidden layer widths of the discriminator (Linear -> LeakyReLU(0.2)).

    latent_dim : int, default=None
        Size of the generator's noise input. ``None`` uses the number of
        features of ``X``.

    loss : {{'bce', 'wgan-gp'}}, default='bce'
        ``'bce'``: the original GAN objective, binary cross-entropy on a
        sigmoid discriminator output (non-saturating generator loss).
        ``'wgan-gp'``: Wasserstein loss with an unbounded critic and a gradient
        penalty of weight 10.

    betas : tuple of float, default=(0.5, 0.999)
        Adam's ``beta1`` and ``beta2`` for both networks.

    generator_batchnorm : bool, default=True
        Whether the generator's hidden layers use batch normalisation.

    n_critic : int, default=1
        Discriminator updates per generator update.

    pac : int, default=1
        Rows the discriminator judges together (PacGAN). Packing lets it
        notice a generator that repeats itself, which counters mode collapse;
        1 is the classic GAN.

    moment_weight : float, default=1.0
        Weight of a term added to the generator loss: the squared difference
        between the per-column mean and standard deviation of each generated
        batch and of the real batch. It keeps the generator from shrinking
        the spread of the class; 0 is the plain adversarial loss.

    correlation_weight : float or 'auto', default='auto'
        Weight of a second term of the same kind: the squared difference
        between the column correlation matrices of each generated batch and of
        the real batch. Where the moment term keeps each column's spread, this
        one keeps how the columns move together. ``'auto'``: 3.0 when each
        class has its own GAN, which raised recall and G-mean with tree
        classifiers on the benchmark at a small cost in F1 with logistic
        regression (see the user guide); 0 with ``conditional=True``, whose
        batches mix the classes, so that their correlations describe the gaps
        between classes more than the structure within one, and the term
        weakens the condition. 0 turns it off. The term adds little training
        time on data of a few dozen columns and more on wide data: its cost
        grows with the square of the encoded width (see the speed guide).

    auxiliary_weight : float, default=0.0
        With ``conditional=True``: weight of an auxiliary-classifier term. A
        classifier (the discriminator's layer sizes) learns the class of real
        rows, and the generator is penalised by its cross-entropy on the
        generated rows, which pushes rows generated for a class away from the
        look of the other classes. 0 turns it off; without ``conditional`` it
        has no effect.

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
        "loss": [StrOptions(set(GAN_LOSSES))],
        "betas": [tuple, list],
        "generator_batchnorm": ["boolean"],
        "n_critic": [Interval(numbers.Integral, 1, None, closed="left")],
        "pac": [Interval(numbers.Integral, 1, None, closed="left")],
        "moment_weight": [Interval(numbers.Real, 0, None, closed="left")],
        "correlation_weight": [
            Interval(numbers.Real, 0, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "auxiliary_weight": [Interval(numbers.Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        categorical_features="auto",
        numeric_transform="quantile",
        conditional=False,
        filter_neighbors="auto",
        filter_linear="auto",
        match_moments="auto",
        generator_hidden=(128, 128),
        discriminator_hidden=(64, 64),
        latent_dim=None,
        loss="bce",
        learning_rate=1e-3,
        betas=(0.5, 0.999),
        generator_batchnorm=True,
        n_critic=1,
        pac=1,
        moment_weight=1.0,
        correlation_weight="auto",
        auxiliary_weight=0.0,
        batch_size="auto",
        max_iter=500,
        device="auto",
        n_jobs=None,
        verbose=0,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.categorical_features = categorical_features
        self.numeric_transform = numeric_transform
        self.conditional = conditional
        self.filter_neighbors = filter_neighbors
        self.filter_linear = filter_linear
        self.match_moments = match_moments
        self.generator_hidden = generator_hidden
        self.discriminator_hidden = discriminator_hidden
        self.latent_dim = latent_dim
        self.loss = loss
        self.learning_rate = learning_rate
        self.betas = betas
        self.generator_batchnorm = generator_batchnorm
        self.n_critic = n_critic
        self.pac = pac
        self.moment_weight = moment_weight
        self.correlation_weight = correlation_weight
        self.auxiliary_weight = auxiliary_weight
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.device = device
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _validate_hyperparameters(self):
        _check_hidden("generator_hidden", self.generator_hidden)
        _check_hidden("discriminator_hidden", self.discriminator_hidden)
        betas = tuple(self.betas)
        if len(betas) != 2 or not all(
            isinstance(b, numbers.Real) and 0.0 <= b < 1.0 for b in betas
        ):
            raise ValueError(
                f"betas={self.betas!r} must be two numbers in [0, 1), e.g. (0.5, 0.999)."
            )

    def _filter_neighbors(self):
        # The vote helped per-class and conditional GANs alike; see the docstring.
        return 5 if self.filter_neighbors == "auto" else self.filter_neighbors

    def _match_moments(self):
        if self.match_moments != "auto":
            return self.match_moments
        # Measured to help per-class GANs; see the docstring.
        return not self.conditional and self.numeric_transform != "minmax"

    def _correlation_weight(self):
        if self.correlation_weight != "auto":
            return self.correlation_weight
        # A conditional GAN's batches mix the classes; see the docstring.
        return 0.0 if self.conditional else 3.0

    def _train_class(
        self, data, spans, generator, device, *, learning_rate, description, conditions=None
    ):
        n_rows = data.shape[0]
        n_conditions = 0 if conditions is None else conditions.shape[1]
        latent_dim = self.latent_dim or self.n_features_in_
        pac = min(self.pac, n_rows)
        correlation_weight = self._correlation_weight()
        net_g = Generator(
            latent_dim,
            _check_hidden("generator_hidden", self.generator_hidden),
            spans.width,
            n_conditions=n_conditions,
            batchnorm=self.generator_batchnorm,
            generator=generator,
        )
        net_d = Discriminator(
            spans.width + n_conditions,
            _check_hidden("discriminator_hidden", self.discriminator_hidden),
            pac=pac,
            generator=generator,
        )
        betas = tuple(float(b) for b in self.betas)
        opt_g = FusedAdam(net_g.parameters(), learning_rate, betas)
        opt_d = FusedAdam(net_d.parameters(), learning_rate, betas)
        classifier = None
        if n_conditions and self.auxiliary_weight:
            classifier = mlp(
                spans.width,
                _check_hidden("discriminator_hidden", self.discriminator_hidden),
                n_conditions,
                activation="leaky_relu",
                batchnorm=False,
                generator=generator,
            )
            opt_c = FusedAdam(classifier.parameters(), learning_rate, betas)
        batches = self._batches(n_rows, conditions, generator, device)
        log = LossLog(
            ("discriminator", "generator"),
            self.max_iter,
            device,
            verbose=self.verbose,
            description=description,
        )
        net_g.train()
        net_d.train()

        def fake_rows(n, row_conditions):
            codes = with_condition(net_g.sample_latent(n, generator), row_conditions)
            return soft_output(net_g(codes), spans, tau=_GUMBEL_TAU, generator=generator)

        try:
            for _ in range(self.max_iter):
                for _ in range(self.n_critic):
                    rows = next(batches)
                    rows = rows[: len(rows) // pac * pac]  # whole packs only
                    real = data[rows]
                    row_conditions = None if conditions is None else conditions[rows]
                    fake = fake_rows(len(rows), row_conditions)
                    real_in = with_condition(real, row_conditions)
                    fake_in = with_condition(fake, row_conditions)
                    # One discriminator pass over real and fake rows together.
                    scores = net_d(torch.cat([real_in, fake_in.detach()]))
                    n_real = real.shape[0] // pac
                    d_loss = discriminator_loss(self.loss, scores[:n_real], scores[n_real:])
                    if self.loss == "wgan-gp":
                        d_loss = d_loss + _GRADIENT_PENALTY_WEIGHT * gradient_penalty(
                            net_d, real_in, fake_in.detach(), generator
                        )
                    opt_d.zero_grad()
                    d_loss.backward()
                    opt_d.step()
                    if classifier is not None:
                        row_classes = row_conditions.argmax(dim=1)
                        c_loss = F.cross_entropy(classifier(real), row_classes)
                        opt_c.zero_grad()
                        c_loss.backward()
                        opt_c.step()
                # The generator learns from the last fake batch, scored by the updated critic.
                g_loss = generator_loss(self.loss, net_d(fake_in))
                if self.moment_weight:
                    g_loss = g_loss + self.moment_weight * moment_mismatch(real, fake)
                if correlation_weight:
                    g_loss = g_loss + correlation_weight * correlation_mismatch(real, fake)
                if classifier is not None:
                    g_loss = g_loss + self.auxiliary_weight * F.cross_entropy(
                        classifier(fake), row_classes
                    )
                opt_g.zero_grad()
                g_loss.backward()
                opt_g.step()
                log.record(d_loss, g_loss)
        finally:
            log.close()
        return net_g, log.history()
