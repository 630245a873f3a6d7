"""The data-following training budget as the half-A screen ran it, before ``max_iter='auto'``.

``Budgeted(kind, epochs, cap, filters)`` fits a conditional GAN or VAE for
``min(cap, ceil(epochs * n_rows / min(256, n_rows)))`` steps. With ``epochs=100,
cap=500`` it generates exactly the rows of ``conditional=True, max_iter='auto'``
(checked on glass1 and page-blocks0 with both samplers). Run the screen with
this folder on ``PYTHONPATH`` (see ``about_this_run.txt``).
"""

import math

from imblearn.base import BaseSampler

from imblearn_deepgen import GANOverSampler, VAEOverSampler


class Budgeted(BaseSampler):
    _sampling_type = "over-sampling"

    def __init__(self, kind="gan", epochs=100, cap=1000, filters="default", random_state=None):
        self.kind = kind
        self.epochs = epochs
        self.cap = cap
        self.filters = filters
        self.random_state = random_state

    def fit_resample(self, X, y):
        n_rows = len(X)
        steps = min(self.cap, math.ceil(self.epochs * n_rows / min(256, n_rows)))
        sampler = GANOverSampler if self.kind == "gan" else VAEOverSampler
        extra = {} if self.filters == "default" else {"filters": self.filters}
        fitted = sampler(conditional=True, max_iter=steps, random_state=self.random_state, **extra)
        return fitted.fit_resample(X, y)

    def _fit_resample(self, X, y):
        raise NotImplementedError("fit_resample trains the wrapped sampler")
