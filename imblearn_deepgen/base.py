"""The shared base of the deep oversamplers: validation, the training loops, ``sample()``."""

import math
import numbers
import warnings
from abc import abstractmethod

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_target_type
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ._columns import ColumnTable
from ._filters import RowFilter, check_filters
from ._generation import generate_into
from ._networks import ClassConditioned
from ._torch_utils import (
    draw_seed,
    effective_n_threads,
    make_generator,
    resolve_device,
    to_cpu,
    torch_threads,
)
from ._training import (
    NonFiniteTrainingError,
    balanced_batch_indices,
    batch_indices,
    evenly_spaced_rows,
)
from ._transformer import NUMERIC_TRANSFORMS, TabularTransformer, masked_numeric

# A first divergence is retried once with the learning rate divided by this.
_RETRY_LR_FACTOR = 10.0
# max_iter='auto': passes over the training rows, and the step cap that bounds
# the cost on large data.
_AUTO_EPOCHS = 100
_AUTO_MAX_STEPS = 500
# Rows of each class a conditional model trains on: a larger class contributes
# this many evenly spaced rows, so encoding and training cost stay bounded.
_MAX_CONDITIONAL_ROWS = 10_000

_FITTED_ATTRIBUTES = (
    "generators_",
    "transformers_",
    "history_",
    "n_iter_",
    "batch_size_",
    "device_",
)

# Shared docstring pieces for the parameters every deep oversampler has.
_RANDOM_STATE_DOCSTRING = """random_state : int, RandomState instance, default=None
        Control the randomization of the algorithm.

        - If int, ``random_state`` seeds the fit: the same int gives the same
          rows (on the CPU);
        - If ``RandomState`` instance, the fit draws its seeds from it;
        - If ``None``, the seeds come from fresh operating-system entropy, so
          every fit differs; NumPy's global random state is never used."""
_SHARED_PARAMETERS_DOCSTRING = """categorical_features : 'auto', array-like of int, str or bool, \
default='auto'
        Which columns are categorical. ``'auto'`` treats columns of pandas
        ``category`` dtype and columns holding strings or booleans (``object``,
        string or ``bool`` dtype, or an object ndarray's column) as categorical;
        an ``object`` column of numbers or date-times is numeric. Otherwise a
        list of column indices, a list of column names (DataFrame input) or a
        boolean mask. Categorical columns are one-hot encoded with a softmax
        output per column, so every synthetic value is a category seen in the
        training rows.

    missing_values : {{'model', 'error'}}, default='model'
        What to do with missing values (NaN, None, pd.NA, NaT). ``'model'``
        generates them: each categorical column's missing value is one more
        category, and each numeric, integer or date-time column with missing
        values in the training rows gets a missingness indicator that the
        {network} learns jointly with the other columns; its value is masked
        out of training where missing. Synthetic rows are then missing where
        the model says so, in the column's own missing value; a column with no
        missing value in a class's rows never gets one, and a column missing
        in all of them stays missing. ``'error'`` refuses missing values, for
        pipelines that must impute first.

    numeric_transform : {{'quantile', 'standard', 'minmax'}}, default='quantile'
        Transform of numeric columns before training, fitted on the rows the
        network trains on (see ``conditional``). ``'quantile'``
        maps each column through its empirical CDF to standard-normal scores
        (robust to heavy tails such as transaction amounts); ``'standard'``
        standardises; ``'minmax'`` scales to [0, 1] and gives the network a
        sigmoid output. Synthetic numeric values are always clipped to the range
        seen in those training rows; integer columns are rounded.

    conditional : bool, default={conditional_default}
        ``False`` trains one {network} per class to oversample, on that class's
        rows only. ``True`` trains a single {network} on the rows of every class,
        with the class as an extra input (a conditional model): each batch draws
        every class equally often, so the other classes' rows teach the
        structure the classes share while the oversampled class keeps an equal
        say, and generation asks for the class being oversampled. Columns are
        then encoded, and values clipped, over those rows; a class of more than
        10,000 rows contributes 10,000 evenly spaced ones, which bounds the cost
        on large data. Every other parameter means the same in both modes.
        {conditional_reason}

    filters : None, str or tuple of str, default={filters_default}
        Filters every generated row must pass; a rejected row is replaced by a
        later draw, and the rows that pass are otherwise the ones the model
        generates. Each filter is a class-against-the-rest scorer fitted on the
        real rows of all classes (standardised numbers and one-hot categories;
        at most 2,000 evenly spaced rows of a larger class):

        - ``'linear'``: a class-balanced logistic regression rejects a row that
          scores below every real row of its class. Such rows pull a linear
          classifier's boundary toward the other classes; rows interpolated
          between real rows, as SMOTE makes them, never score below them.
        - ``'classifier'``: a class-balanced network of one hidden layer (32
          units) rejects a row it gives to another class, so that no synthetic
          row teaches a classifier the wrong label where the real rows of
          other classes dominate.

        ``None`` keeps every generated row. If fewer than one
        in ten draws pass, the remaining rows are kept unfiltered, with a
        warning.

    batch_size : int or 'auto', default='auto'
        Rows per training step. ``'auto'`` uses ``min(256, n_rows)`` for
        ``n_rows`` training rows (those of the class, or of all classes when
        ``conditional=True``), i.e. full-batch training for small classes; the
        value used is ``batch_size_``.

    max_iter : int or 'auto', default={max_iter}
        Training steps of each {network} (optimizer updates). ``'auto'`` makes
        100 passes over the training rows, at most 500 steps:
        ``min(500, ceil(100 * n_rows / batch_size_))``, so that small inputs,
        with little to learn, train briefly and large ones cost no more than
        500 steps. The value used is ``n_iter_``.

    learning_rate : float, default={learning_rate}
        Adam learning rate.

    device : str or torch.device, default='auto'
        ``'auto'`` trains on CUDA when available, else on the CPU; or ``'cpu'``,
        ``'cuda'``, ``'cuda:N'``, a :class:`torch.device`. An unavailable device
        warns and falls back to the CPU. Fitted networks are stored on the CPU.

    n_jobs : int, default=None
        Number of torch CPU threads used while fitting and sampling (restored
        afterwards). ``None`` means 1, which is fastest for these small networks
        and never oversubscribes cores under ``GridSearchCV(n_jobs=...)``;
        ``-1`` means all cores.

    verbose : int, default=0
        ``0`` is silent; ``>= 1`` shows a progress bar per class with the
        current losses."""

_SHARED_ATTRIBUTES_DOCSTRING = """sampling_strategy_ : dict
        Number of synthetic rows generated for each class.

    generators_ : dict of {{class_label: torch.nn.Module}}
        Per oversampled class, the fitted network that maps latent noise to an
        encoded row ({network}), stored on the CPU in eval mode. With
        ``conditional=True`` every class's entry wraps the same network, fixed to
        that class's condition{conditional_copies}.

    transformers_ : dict of {{class_label: TabularTransformer}}
        Per oversampled class, the fitted column encoder/decoder (with
        ``conditional=True`` one fitted on all classes, a per-class copy of it
        when X has missing values).

    history_ : dict of {{class_label: dict of {{str: ndarray}}}}
        Per oversampled class, the loss of every training step by loss name
        (the shared network's losses when ``conditional=True``).

    n_iter_ : dict of {{class_label: int}}
        Per oversampled class, the number of training steps run.

    batch_size_ : dict of {{class_label: int}}
        Per oversampled class, the number of rows per training step.

    device_ : torch.device
        The device training ran on.

    n_features_in_ : int
        Number of features in the input dataset.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during `fit`. Defined only when `X` has feature
        names that are all strings."""


def _fit_rng(random_state):
    """The fit's numpy RNG; ``None`` draws fresh OS entropy, never the global RNG."""
    if random_state is None:
        return np.random.RandomState(np.random.default_rng().integers(2**31))
    return check_random_state(random_state)


def _label_text(label):
    """A class label as users wrote it: ``1``, not numpy's ``np.int64(1)``."""
    return repr(label.item() if isinstance(label, np.generic) else label)


def _check_hidden(name, value):
    sizes = tuple(value)
    if not all(
        isinstance(s, numbers.Integral) and not isinstance(s, bool) and s > 0 for s in sizes
    ):
        raise ValueError(
            f"{name}={value!r} must be a sequence of positive layer widths, e.g. (128, 128)."
        )
    return tuple(int(s) for s in sizes)


class BaseDeepOverSampler(BaseOverSampler):
    """Base class of the deep generative oversamplers.

    Subclasses implement :meth:`_train_class`, which trains a network on
    encoded rows (one class's, or all classes' with their conditions) and
    returns the network that maps latent noise to encoded rows. Everything
    else (validation, the per-class and conditional training paths,
    generation through the optional filters, output assembly) lives
    here.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "categorical_features": [StrOptions({"auto"}), "array-like"],
        "missing_values": [StrOptions({"model", "error"})],
        "numeric_transform": [StrOptions(set(NUMERIC_TRANSFORMS))],
        "conditional": ["boolean"],
        "filters": [None, str, tuple, list],
        "batch_size": [Interval(numbers.Integral, 2, None, closed="left"), StrOptions({"auto"})],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "device": [str, torch.device],
        "n_jobs": [numbers.Integral, None],
        "verbose": ["verbose"],
    }

    def _check_X_y(self, X, y, accept_sparse=None):
        # Let strings and categories through (the default check would cast to
        # float); validation happens column by column in ColumnTable.
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        table = ColumnTable.from_input(X, self.categorical_features, self.missing_values)
        if table.n_rows != len(y):
            raise ValueError(
                f"X has {table.n_rows} rows but y has {len(y)} labels; pass one label per row."
            )
        validate_data(self, X=table.data, y=y, reset=True, skip_check_array=True)
        return table, y, binarize_y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        tags.non_deterministic = False
        return tags

    def fit(self, X, y, **params):
        """Check the input and the parameters; no network is trained.

        Use :meth:`fit_resample`, which trains the networks. A sampler fitted
        before forgets its networks, so :meth:`sample` then raises
        ``NotFittedError`` instead of drawing from a model of other data.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            The rows.
        y : array-like of shape (n_samples,)
            The class of each row.
        **params : dict
            Passed on to imbalanced-learn's ``fit``.

        Returns
        -------
        self : object
            The sampler.
        """
        self._forget_fit()
        return super().fit(X, y, **params)

    def fit_resample(self, X, y, **params):
        """Train a model of each class to oversample and return the resampled data.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            The rows; returned first and unchanged.
        y : array-like of shape (n_samples,)
            The class of each row.
        **params : dict
            Passed on to imbalanced-learn's ``fit_resample``.

        Returns
        -------
        X_resampled : {ndarray, DataFrame} of shape (n_samples_new, n_features)
            The rows of X, then the synthetic rows, in X's container and dtypes.
        y_resampled : {ndarray, Series} of shape (n_samples_new,)
            The classes of the rows of ``X_resampled``.
        """
        # Forgotten before any check: a fit that fails, on bad input too,
        # leaves no model of earlier data behind.
        self._forget_fit()
        return super().fit_resample(X, y, **params)

    def _forget_fit(self):
        for attribute in _FITTED_ATTRIBUTES:
            self.__dict__.pop(attribute, None)

    def _fit_resample(self, X, y):
        table = X
        self._validate_hyperparameters()
        filter_names = check_filters(self.filters)
        rng = _fit_rng(self.random_state)
        device = resolve_device(self.device)
        generators, transformers, histories, n_iters, batch_sizes = {}, {}, {}, {}, {}
        targets = {c: n for c, n in self.sampling_strategy_.items() if n > 0}
        for class_label in targets:
            self._check_class_size(class_label, int(np.sum(y == class_label)))
        buffer = table.new_buffer(sum(targets.values()), after_originals=True)
        labels, start = [], 0
        train = self._train_conditional if self.conditional else self._train_per_class
        # Training needs autograd also when the caller runs under torch.no_grad()
        # or torch.inference_mode().
        with (
            torch_threads(effective_n_threads(self.n_jobs)),
            torch.inference_mode(False),
            torch.enable_grad(),
        ):
            row_filter = (
                RowFilter(filter_names).fit(table, y, list(targets)) if filter_names else None
            )
            for class_label, network, transformer, history, generator, batch_size in train(
                table, y, targets, rng, device
            ):
                n_new = targets[class_label]
                self._generate(
                    buffer,
                    start,
                    n_new,
                    network=network,
                    transformer=transformer,
                    generator=generator,
                    device=device,
                    row_filter=row_filter,
                    label=class_label,
                )
                generators[class_label] = to_cpu(network)
                transformers[class_label] = transformer
                histories[class_label] = history
                n_iters[class_label] = len(next(iter(history.values())))
                batch_sizes[class_label] = batch_size
                labels.append(np.full(n_new, class_label, dtype=y.dtype))
                start += n_new
        # Fitted state is set only once every class has trained: an interrupted
        # or failed fit leaves no half-trained model behind.
        self.generators_, self.transformers_ = generators, transformers
        self.history_, self.n_iter_, self.device_ = histories, n_iters, device
        self.batch_size_ = batch_sizes
        self._sample_rng = np.random.RandomState(draw_seed(rng))
        self._template = table.empty()
        self._row_filter = row_filter
        X_resampled = buffer.result()
        y_resampled = np.concatenate([y, *labels]) if labels else y.copy()
        return X_resampled, y_resampled

    @staticmethod
    def _generate(
        buffer, start, n_rows, *, network, transformer, generator, device, row_filter, label
    ):
        """Generate one class's rows, through the filters when there are any."""
        n_drawn, n_unfiltered = generate_into(
            buffer,
            start,
            n_rows,
            network=network,
            transformer=transformer,
            generator=generator,
            device=device,
            accept=None if row_filter is None else lambda rows: row_filter.accepts(rows, label),
        )
        if n_unfiltered:
            warnings.warn(
                f"Only {n_rows - n_unfiltered} of {n_drawn - n_unfiltered} rows generated for "
                f"class {_label_text(label)} passed the filters {row_filter.names}: the class's "
                f"model mostly generates rows the filters reject. The last {n_unfiltered} rows "
                "are kept unfiltered. Train it longer (max_iter), or pass filters=None to keep "
                "every generated row.",
                UserWarning,
                stacklevel=4,
            )

    def _train_per_class(self, table, y, targets, rng, device):
        """One network per class to oversample, trained on that class's rows only."""
        for class_label in targets:
            rows = table.rows(y == class_label)
            transformer = TabularTransformer(table.kinds, self.numeric_transform).fit(rows)
            generator = make_generator(draw_seed(rng), device)
            encoded = transformer.transform(rows)
            batch_size = self._batch_size_for(len(encoded))
            network, history = self._fit_class(
                f"class {_label_text(class_label)}",
                encoded,
                transformer.output_spans_,
                generator,
                device,
                batch_size,
            )
            yield class_label, network, transformer, history, generator, batch_size

    def _train_conditional(self, table, y, targets, rng, device):
        """One network for all classes, conditioned on the class; then fixed per class."""
        kept = evenly_spaced_rows(y, _MAX_CONDITIONAL_ROWS)
        everything = list(table.columns) if len(kept) == len(y) else table.rows(kept)
        classes, codes = np.unique(y[kept], return_inverse=True)
        transformer = TabularTransformer(table.kinds, self.numeric_transform).fit(everything)
        encoded = transformer.transform(everything)
        generator = make_generator(draw_seed(rng), device)
        one_hot = torch.eye(len(classes), dtype=torch.float32, device=device)
        batch_size = self._batch_size_for(len(encoded))
        network, history = self._fit_class(
            "all classes",
            encoded,
            transformer.output_spans_,
            generator,
            device,
            batch_size,
            conditions=one_hot[torch.as_tensor(codes, device=device)],
        )
        for class_label in targets:
            index = int(np.flatnonzero(classes == class_label)[0])
            rows = torch.as_tensor(encoded[codes == index], device=device)
            real = masked_numeric(rows, transformer.output_spans_)
            class_network = self._adapt_to_class(
                ClassConditioned(network, one_hot[index]),
                real,
                transformer.output_spans_,
                generator,
            )
            # Missingness is learnt from all classes; each class keeps its own zeros and ones.
            class_transformer = transformer
            if table.markers:
                class_transformer = transformer.for_rows(table.rows(y == class_label))
            yield class_label, class_network, class_transformer, history, generator, batch_size

    def sample(self, n_samples, *, class_label=None):
        """Generate new synthetic rows of one class from the fitted model.

        Rows are generated in chunks into a preallocated output, so memory
        stays at the size of the output plus a bounded buffer, even for
        millions of rows.

        Parameters
        ----------
        n_samples : int
            Number of rows to generate.
        class_label : object, default=None
            The class to generate. May be omitted when only one class was
            oversampled during fit.

        Returns
        -------
        X_new : ndarray or DataFrame of shape (n_samples, `n_features_in_`)
            Synthetic rows, in the container type, columns and dtypes of the
            ``X`` given to ``fit_resample`` (a list input gives an ndarray).
        """
        check_is_fitted(self, "generators_")
        if (
            not isinstance(n_samples, numbers.Integral)
            or isinstance(n_samples, bool)
            or n_samples < 0
        ):
            raise ValueError(f"n_samples={n_samples!r} must be a non-negative integer.")
        class_label = self._resolve_class(class_label)
        device = resolve_device(self.device)
        generator = make_generator(draw_seed(self._sample_rng), device)
        buffer = self._template.new_buffer(int(n_samples))
        with torch_threads(effective_n_threads(self.n_jobs)):
            network = self.generators_[class_label].to(device)
            try:
                self._generate(
                    buffer,
                    0,
                    int(n_samples),
                    network=network,
                    transformer=self.transformers_[class_label],
                    generator=generator,
                    device=device,
                    row_filter=self._row_filter,
                    label=class_label,
                )
            finally:
                to_cpu(network)
        return buffer.result()

    def _resolve_class(self, class_label):
        fitted = list(self.generators_)
        labels = "[" + ", ".join(_label_text(label) for label in fitted) + "]"
        if class_label is None:
            if len(fitted) != 1:
                raise ValueError(
                    f"This sampler was fitted on classes {labels}; "
                    "pass class_label= to choose one."
                )
            return fitted[0]
        if class_label not in self.generators_:
            raise ValueError(
                f"class_label={class_label!r} was not oversampled during fit; "
                f"choose one of {labels}."
            )
        return class_label

    @staticmethod
    def _check_class_size(class_label, n_rows):
        if n_rows < 2:
            raise ValueError(
                f"Class {_label_text(class_label)} has {n_rows} row; a generative model needs "
                "at least 2 rows of a class to oversample it. Collect more rows, merge the "
                "class with another, or leave it out of sampling_strategy (pass a dict)."
            )

    def _batch_size_for(self, n_rows):
        return min(256, n_rows) if self.batch_size == "auto" else self.batch_size

    def _steps_for(self, n_rows, batch_size):
        if self.max_iter != "auto":
            return self.max_iter
        return min(_AUTO_MAX_STEPS, math.ceil(_AUTO_EPOCHS * n_rows / batch_size))

    @staticmethod
    def _batches(n_rows, batch_size, conditions, generator, device):
        """Training batches: plain shuffling, or class-balanced draws when conditional."""
        if conditions is None:
            return batch_indices(n_rows, batch_size, generator, device)
        return balanced_batch_indices(conditions.argmax(dim=1), batch_size, generator, device)

    def _fit_class(
        self, description, encoded, spans, generator, device, batch_size, conditions=None
    ):
        """Train, adapt to the class; retry once at a lower learning rate on divergence."""
        learning_rate = self.learning_rate
        for attempt in range(2):
            try:
                rows = torch.as_tensor(encoded, device=device)
                network, history = self._train_class(
                    rows,
                    spans,
                    generator,
                    device,
                    learning_rate=learning_rate,
                    batch_size=batch_size,
                    n_steps=self._steps_for(len(encoded), batch_size),
                    description=description,
                    conditions=conditions,
                )
                if conditions is None:
                    real = masked_numeric(rows, spans)
                    network = self._adapt_to_class(network, real, spans, generator)
                self._check_finite_output(network, generator)
                return network, history
            except NonFiniteTrainingError as exc:
                if attempt == 1:
                    raise RuntimeError(
                        f"Training on {description} diverged ({exc}) even with "
                        f"learning_rate={learning_rate:g}. Scale extreme feature values, "
                        "use numeric_transform='quantile', or lower learning_rate."
                    ) from exc
                learning_rate = self.learning_rate / _RETRY_LR_FACTOR
                warnings.warn(
                    f"Training on {description} diverged ({exc}); retrying once with "
                    f"learning_rate={learning_rate:g}.",
                    RuntimeWarning,
                    stacklevel=5,
                )
            except torch.OutOfMemoryError as exc:
                raise MemoryError(
                    f"The {device} device ran out of memory while training {description}. "
                    "Lower batch_size, use smaller hidden layers, or pass device='cpu'."
                ) from exc

    @staticmethod
    def _check_finite_output(network, generator):
        network.eval()
        # Random inputs of the body's width: conditional networks take codes
        # and a class condition, which this probe need not tell apart.
        n_inputs = network.body[0].in_features
        probe = torch.randn(
            256, n_inputs, generator=generator, dtype=torch.float32, device=generator.device
        )
        with torch.no_grad():
            if not torch.isfinite(network(probe)).all():
                raise NonFiniteTrainingError(
                    "the trained network generates NaN or infinite values"
                )

    @abstractmethod
    def _validate_hyperparameters(self):
        """Cross-parameter and sequence checks that the constraints cannot express."""

    def _adapt_to_class(self, network, real_numeric, spans, generator):
        """The network a class's rows are generated from, after training.

        ``real_numeric`` holds the class's real rows, encoded numeric columns
        only, NaN where missing; ``spans`` is the network's output layout.
        The base keeps the trained network; a subclass may return an adapted
        copy (never changing ``network`` itself, which a conditional model
        shares between classes).
        """
        return network

    @abstractmethod
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
        """Train on encoded rows: one class's, or all classes' with one-hot ``conditions``.

        Returns the network mapping latent noise to raw encoded rows and the
        loss history {name: ndarray}. The network draws its own noise with
        ``sample_latent(n, generator)`` and maps it through ``body``, a
        Linear/BatchNorm/ReLU stack that generation runs folded; its
        ``numeric_std`` (None, or a per-column standard deviation) is the noise
        generation adds to the numeric outputs.
        """
