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
``imputed``
    as ``smotenc``, after imputation: numeric columns get their median and a
    0/1 missing indicator per column with missing values (standardised with
    them), nominal columns their most frequent value (imputer + SMOTE).

Missing values pass through every other kind: standardising ignores them
and one-hot encoding gives them a category of their own.

One-hot columns are not standardised: they stay 0/1.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from .samplers import ENCODED, FRAME, IMPUTED_INPUT, SMOTENC_INPUT


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


def _scaled_numeric(nominal, numeric, impute) -> ColumnTransformer:
    """Standardise numeric columns and keep nominal ones, imputing both if ``impute``."""
    if not impute:
        steps = [("numeric", StandardScaler(), numeric)]
    else:
        median = SimpleImputer(strategy="median", add_indicator=True)
        steps = [
            ("numeric", make_pipeline(median, StandardScaler()), numeric),
            ("nominal", SimpleImputer(strategy="most_frequent"), nominal),
        ]
    return ColumnTransformer(
        steps, remainder="passthrough", verbose_feature_names_out=False
    ).set_output(transform="pandas")


@dataclass
class FoldPreprocessor:
    """The transformations before and after sampling for one training fold.

    Parameters
    ----------
    input_kind : {"encoded", "frame", "smotenc", "imputed"}
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
        elif self.input_kind in (SMOTENC_INPUT, IMPUTED_INPUT):
            self._before = _scaled_numeric(nominal, numeric, self.input_kind == IMPUTED_INPUT)
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
