"""Fold-wise preprocessing around the sampler.

Every transformer here is fitted on the original training fold only, then
applied to the resampled training fold and to the test fold. What the sampler
sees depends on its input kind:

``encoded``
    nominal columns one-hot encoded, numeric columns standardised, then
    sampled (numeric-only samplers: ROS, SMOTE, ADASYN, Borderline-SMOTE).
``frame``
    the raw ``DataFrame`` (nominal columns as ``category``) is sampled, then
    one-hot encoded and standardised (GAN and VAE, which model nominal
    columns themselves).
``smotenc``
    numeric columns standardised (so that SMOTE-NC's nearest neighbours are
    not dominated by large-valued columns), nominal columns kept as categories
    and passed as ``categorical_features``; one-hot encoded after sampling.

One-hot columns are not standardised: they stay 0/1.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from .samplers import ENCODED, FRAME, SMOTENC_INPUT


def _one_hot() -> OneHotEncoder:
    return OneHotEncoder(handle_unknown="ignore", sparse_output=False)


def make_encoder(nominal_columns, numeric_columns) -> ColumnTransformer:
    """One-hot encode nominal columns and standardise numeric ones.

    Parameters
    ----------
    nominal_columns, numeric_columns : sequence of str
        Column names.

    Returns
    -------
    sklearn.compose.ColumnTransformer
        Unfitted transformer producing a dense float array.
    """
    return ColumnTransformer(
        [
            ("nominal", _one_hot(), list(nominal_columns)),
            ("numeric", StandardScaler(), list(numeric_columns)),
        ]
    )


@dataclass
class FoldPreprocessor:
    """The transformations before and after sampling for one training fold.

    Parameters
    ----------
    input_kind : {"encoded", "frame", "smotenc"}
        What the sampler receives.
    nominal_columns, numeric_columns : tuple of str
        Column names of the dataset.
    """

    input_kind: str
    nominal_columns: tuple[str, ...]
    numeric_columns: tuple[str, ...]

    def fit_before_sampling(self, X_train: pd.DataFrame):
        """Fit on the training fold and return what the sampler receives.

        Parameters
        ----------
        X_train : pandas.DataFrame
            Raw training fold.

        Returns
        -------
        numpy.ndarray or pandas.DataFrame
            Sampler input.
        """
        nominal, numeric = list(self.nominal_columns), list(self.numeric_columns)
        if self.input_kind == ENCODED:
            self._before = make_encoder(nominal, numeric).fit(X_train)
            self._after = None
        elif self.input_kind == FRAME:
            self._before = None
            self._after = make_encoder(nominal, numeric).fit(X_train)
        elif self.input_kind == SMOTENC_INPUT:
            self._before = ColumnTransformer(
                [("numeric", StandardScaler(), numeric)],
                remainder="passthrough",
                verbose_feature_names_out=False,
            ).set_output(transform="pandas")
            self._before.fit(X_train)
            after_input = self._before.transform(X_train)
            self._after = ColumnTransformer(
                [("nominal", _one_hot(), nominal)], remainder="passthrough"
            ).fit(after_input)
        else:
            raise ValueError(f"unknown input kind {self.input_kind!r}")
        self._columns = X_train.columns
        self._dtypes = X_train.dtypes
        return self.transform_before(X_train)

    def transform_before(self, X: pd.DataFrame):
        """Apply the before-sampling step (fitted by :meth:`fit_before_sampling`)."""
        return X if self._before is None else self._before.transform(X)

    def transform_after(self, X_sampled):
        """Turn sampler output into the classifier's numeric input.

        Parameters
        ----------
        X_sampled : array-like or pandas.DataFrame
            Resampled training fold (or a transformed test fold).

        Returns
        -------
        numpy.ndarray
            Classifier input.
        """
        if self._after is None:
            return X_sampled
        if not isinstance(X_sampled, pd.DataFrame):
            # Some samplers return arrays; restore names and dtypes for the encoder.
            columns = (
                self._columns if self._before is None else self._before.get_feature_names_out()
            )
            X_sampled = pd.DataFrame(X_sampled, columns=columns)
            if self._before is None:
                X_sampled = X_sampled.astype(self._dtypes.to_dict())
        return self._after.transform(X_sampled)

    def transform_test(self, X_test: pd.DataFrame):
        """Transform a raw test fold all the way to the classifier's input."""
        return self.transform_after(self.transform_before(X_test))
