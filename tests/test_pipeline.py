"""The samplers as Pipeline steps and under GridSearchCV."""

import numpy as np
import pytest
from imblearn.pipeline import Pipeline
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.preprocessing import StandardScaler

GRIDS = {
    "gan": {"sampler__generator_hidden": [(8,), (16,)], "sampler__moment_weight": [0.0, 1.0]},
    "vae": {"sampler__latent_dim": [2, 4], "sampler__kl_weight": [0.5, 1.0]},
}


def _pipeline(sampler):
    return Pipeline(
        [("scale", StandardScaler()), ("sampler", sampler), ("clf", LogisticRegression())]
    )


def test_pipeline_resamples_at_fit_and_not_at_predict(make_sampler, imbalanced):
    X, y = imbalanced
    pipeline = Pipeline(
        [("sampler", make_sampler()), ("clf", DummyClassifier(strategy="prior"))]
    ).fit(X, y)
    # The classifier saw balanced classes; predictions keep one row per input row.
    np.testing.assert_allclose(pipeline[-1].class_prior_, [0.5, 0.5])
    assert pipeline.predict(X).shape == y.shape


@pytest.mark.parametrize("name", ["gan", "vae"])
def test_grid_search_in_parallel_picks_a_best_sampler(name, imbalanced):
    from .conftest import tiny_gan, tiny_vae

    X, y = imbalanced
    sampler = tiny_gan() if name == "gan" else tiny_vae()
    search = GridSearchCV(
        _pipeline(sampler),
        GRIDS[name],
        scoring="recall",
        cv=StratifiedKFold(n_splits=2, shuffle=True, random_state=0),
        n_jobs=2,
        error_score="raise",
    ).fit(X, y)
    assert set(search.best_params_) == set(GRIDS[name])
    assert len(search.cv_results_["mean_test_score"]) == 4
    assert search.best_estimator_.predict(X).shape == y.shape
