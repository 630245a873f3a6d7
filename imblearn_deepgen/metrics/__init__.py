"""Fidelity, detectability and privacy metrics for synthetic tabular data.

Every function compares a ``real`` sample with a ``synthetic`` sample that has the
same columns. Both may be pandas DataFrames (columns are matched by name) or 2-D
NumPy arrays (columns are matched by position). Each column is either numeric or
categorical, as decided by ``categorical_features``:

* ``None`` (default): columns with a non-numeric dtype (pandas ``category``,
  ``object``, ``string``) or a ``bool`` dtype are categorical, all others numeric,
  date-times and durations included (compared in seconds; date-times since 1970 in
  UTC, so samples in different units or time zones compare alike);
* a list of column names or integer positions of the categorical columns;
* a boolean mask with one entry per column.

Missing values (NaN, None, ``pd.NA``, ``NaT``) are accepted, also a column that is
entirely missing in one sample. The per-column metrics report each column's missing
share in both samples and compare the present values; the detection and distance
metrics give a numeric column with missing values a 0/1 missing indicator (the
missing values themselves are imputed by a median) and a categorical column a
category for "missing"; associations use the rows where both columns are present.
A sample in which a column is entirely missing does not take part in deciding that
column's kind from the dtypes. Infinite values are rejected with a ``ValueError``
naming the column.

The metrics compute with NumPy, SciPy, pandas and scikit-learn and never use the
samplers or PyTorch.
"""

from ._associations import CorrelationDifference, correlation_difference
from ._detection import detection_score
from ._marginals import KL_EPSILON as KL_EPSILON  # documented in marginal_fidelity
from ._marginals import marginal_fidelity, summary_statistics
from ._privacy import exact_copy_share, privacy_scores
from ._report import FidelityReport, comparison_report

__all__ = [
    "CorrelationDifference",
    "FidelityReport",
    "comparison_report",
    "correlation_difference",
    "detection_score",
    "exact_copy_share",
    "marginal_fidelity",
    "privacy_scores",
    "summary_statistics",
]
