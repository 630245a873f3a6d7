"""Deep generative oversampling (GAN and VAE) for scikit-learn and imbalanced-learn."""

from ._gan import GANOverSampler
from ._vae import VAEOverSampler

__version__ = "0.1.0"

__all__ = ["GANOverSampler", "VAEOverSampler", "__version__"]
