"""
=======================
Original configurations
=======================

imblearn-deepgen grew out of two oversampling systems: a GAN that generated
fraudulent credit-card transactions, and a variational autoencoder (VAE) that
generated mixed-type card transactions. Both are reachable by parameters of
:class:`~imblearn_deepgen.GANOverSampler` and
:class:`~imblearn_deepgen.VAEOverSampler`; nothing else needs to be written.

This example configures both and trains them briefly on data that ships with the
repository, so that it runs in seconds. The training budgets of the original
systems are discussed below; use those for real work.
"""

# %%
# The credit-card fraud GAN
# =========================
#
# The fraud GAN had these settings, here written as sampler parameters:
#
# * generator with hidden layers of 32, 64 and 128 units and batch
#   normalisation: ``generator_hidden=(32, 64, 128)`` (the generator always
#   normalises its batches);
# * discriminator with hidden layers of 128, 64, 32, 32 and 16 units:
#   ``discriminator_hidden=(128, 64, 32, 32, 16)``;
# * the original GAN objective, binary cross-entropy, and Adam with beta1 0.5
#   and beta2 0.999: the GAN's only objective and optimizer;
# * learning rate 0.001: ``learning_rate=1e-3``;
# * the plain adversarial loss, without this library's generator term that
#   matches each batch's column moments and correlations: ``moment_weight=0.0``;
# * the generator's raw output, without this library's moment match after
#   training or its filters: ``match_moments=False, filters=None``;
# * batches of 64 rows: ``batch_size=64``;
# * a noise vector as long as a row (30 numbers for the credit-card data): the
#   generator's noise always has one dimension per feature;
# * 5,000 epochs over the 492 fraud rows: ``max_iter=40_000`` (see below).
#
# **Steps, not epochs.** ``max_iter`` counts training steps: one update of the
# discriminator, then one of the generator. The original trained for 5,000 epochs of batches of 64 rows on
# 492 fraud rows: 8 batches per epoch (the last one partial), about 40,000 steps.
# This library cuts each pass over a class into *full* batches and drops the
# remainder, 7 batches of 64 for 492 rows, so ``max_iter=40_000`` gives the same
# number of updates as the original (about 5,700 passes over the rows), while
# ``max_iter=35_000`` gives the same number of passes. A step budget keeps the
# cost of a fit independent of the size of the class.
#
# The credit-card data does not ship with the repository, so this example uses
# a generated data set with the same number of features (30) and a rare class,
# and only 300 steps.

from collections import Counter
from pathlib import Path
from time import perf_counter

import pandas as pd
from sklearn.datasets import make_classification

from imblearn_deepgen import GANOverSampler, VAEOverSampler
from imblearn_deepgen.plotting import plot_loss_curves

X, y = make_classification(
    n_samples=6000,
    n_features=30,
    n_informative=12,
    weights=[0.98],
    flip_y=0,
    random_state=0,
)
print("class counts before:", dict(sorted(Counter(y.tolist()).items())))

fraud_gan = GANOverSampler(
    generator_hidden=(32, 64, 128),
    discriminator_hidden=(128, 64, 32, 32, 16),
    moment_weight=0.0,  # the plain adversarial loss of the original
    match_moments=False,
    filters=None,
    learning_rate=1e-3,
    batch_size=64,
    max_iter=300,  # the original budget corresponds to max_iter=40_000
    random_state=0,
)
start = perf_counter()
X_res, y_res = fraud_gan.fit_resample(X, y)
print(f"fit_resample: {perf_counter() - start:.1f} s")
print("class counts after: ", dict(sorted(Counter(y_res.tolist()).items())))
print("training steps per class:", {int(k): v for k, v in fraud_gan.n_iter_.items()})

# %%
# ``history_`` holds the loss of every step, per oversampled class; with a budget
# this small the two losses are still far from settling.

fig = plot_loss_curves(fraud_gan)

# %%
# The mixed-type card-transaction VAE
# ===================================
#
# The transaction VAE was a small network for tables with numeric and categorical
# columns:
#
# * encoder with hidden layers of 12 and 10 units: ``encoder_hidden=(12, 10)``;
# * a latent code of size 4: ``latent_dim=4``;
# * decoder with hidden layers of 10 and 12 units, the mirror of the encoder (as
#   the decoder always is);
# * numeric columns scaled to [0, 1] and a sigmoid on the decoder's numeric
#   outputs: ``numeric_transform="minmax"``;
# * the plain evidence lower bound (reconstruction plus KL divergence):
#   ``kl_weight=1.0``;
# * categorical columns one-hot encoded: automatic for string, ``category`` and
#   ``bool`` columns (``categorical_features="auto"``);
# * synthetic rows decoded from codes drawn from the standard normal prior, as in
#   a textbook VAE (as this library always does), each row the decoder's output
#   for its code, with no noise added and no filter: ``output_noise=0.0,
#   filters=None``;
# * one model of the rows it was given, with no class input: ``conditional=False``
#   (a model of the class to oversample, on that class's rows only).
#
# Each categorical column is reconstructed with a cross-entropy loss over its
# categories and generated by drawing one category per row from the decoder's
# softmax, so synthetic rows only contain categories seen in the class.
#
# The abalone data bundled with the benchmarks has one categorical column
# (``Sex``) and seven numeric ones, and 42 rows in its minority class.


def keel_file(name):
    """Path of a KEEL data set bundled in the repository (benchmarks/data/keel)."""
    for folder in (Path.cwd(), *Path.cwd().parents):
        path = folder / "benchmarks" / "data" / "keel" / f"{name}.csv.gz"
        if path.exists():
            return path
    raise FileNotFoundError(f"{name}: run this example inside the imblearn-deepgen repository")


abalone = pd.read_csv(keel_file("abalone9-18"))
X, y = abalone.drop(columns="target"), abalone["target"]
print(X.dtypes.to_string())
print("class counts before:", y.value_counts().sort_index().to_dict())

transaction_vae = VAEOverSampler(
    encoder_hidden=(12, 10),
    latent_dim=4,
    numeric_transform="minmax",
    kl_weight=1.0,
    output_noise=0.0,
    filters=None,
    conditional=False,
    max_iter=1000,
    random_state=0,
)
start = perf_counter()
X_res, y_res = transaction_vae.fit_resample(X, y)
print(f"fit_resample: {perf_counter() - start:.1f} s")
print("class counts after: ", y_res.value_counts().sort_index().to_dict())

# %%
# The output is a DataFrame with the input's columns and dtypes: the original
# rows first, then the synthetic ones. The category frequencies of ``Sex`` in the
# real minority rows and in the synthetic rows:

real = X[y == 1]
synthetic = X_res.iloc[len(X) :]
frequencies = pd.DataFrame(
    {
        "real minority": real["Sex"].value_counts(normalize=True),
        "synthetic": synthetic["Sex"].value_counts(normalize=True),
    }
).fillna(0.0)
print(frequencies.round(2).to_string())

# %%
# Numeric columns are clipped to the range seen in the class's rows, so every
# synthetic value lies inside it. How much of the range the synthetic rows
# *cover* is a different matter; compare the spread (standard deviation) of each
# column:

numeric = X.columns.drop("Sex")


def spread(synthetic_rows):
    return pd.DataFrame(
        {
            "real std": real[numeric].std(),
            "synthetic std": synthetic_rows[numeric].std(),
            "inside real range": (
                (synthetic_rows[numeric] >= real[numeric].min())
                & (synthetic_rows[numeric] <= real[numeric].max())
            ).all(),
        }
    )


print(spread(synthetic).round(4).to_string())
print(f"mean KL term, last 100 steps: {transaction_vae.history_[1]['kl'][-100:].mean():.4f}")

# %%
# **Watch the KL term.** Columns scaled to [0, 1] have small squared errors, so
# with ``kl_weight=1.0`` the KL term can dominate the loss. The cheapest way for
# the VAE to lower it is to ignore the input: the encoder returns the prior for
# every row, the KL term drops to about zero and the decoder produces nearly the
# same row whatever the code, so the synthetic spread is far below the real one
# (known as *posterior collapse*). The loss curves and the table above show
# whether this happened in this run. A smaller ``kl_weight`` (or the default
# ``numeric_transform="quantile"``, whose scores have unit variance) keeps the
# code informative:

fig = plot_loss_curves(transaction_vae)

lighter_kl = transaction_vae.set_params(kl_weight=0.1, max_iter=2000)
X_res, y_res = lighter_kl.fit_resample(X, y)
print(spread(X_res.iloc[len(X) :]).round(4).to_string())
print(f"mean KL term, last 100 steps: {lighter_kl.history_[1]['kl'][-100:].mean():.4f}")

# %%
# Full budgets
# ============
#
# Building a sampler costs nothing: all work happens in ``fit_resample``. The
# fraud GAN with its original number of updates is

full_fraud_gan = fraud_gan.set_params(max_iter=40_000)
print(full_fraud_gan)
