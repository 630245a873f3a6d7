"""The GAN at its defaults, its seed moved away from the harness's: a seed-noise check.

The harness gives sampler and classifier one seed per cell; these classes add 1000 or
2000 to the sampler's only, so splits and classifiers stay those of the recorded run.
"""
from imblearn_deepgen import GANOverSampler


class GANSeedPlus1000(GANOverSampler):
    def fit_resample(self, X, y, **params):
        self.random_state = self.random_state + 1000
        return super().fit_resample(X, y, **params)


class GANSeedPlus2000(GANOverSampler):
    def fit_resample(self, X, y, **params):
        self.random_state = self.random_state + 2000
        return super().fit_resample(X, y, **params)
