"""The samplers as Pipeline steps and under GridSearchCV."""

import pytest
from imblearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.preprocessing import StandardScaler

GRIDS = {
    "gan": {"sampler__latent_dim": [2, 4], "sampler__loss": ["bce", "wgan-gp"]},
    "vae": {"sampler__latent_dim": [2, 4], "sampler__kl_weight": [0.5, 1.0]},
}


def _pipeline(sampler):
    return Pipeline(
        [("scale", StandardScaler()), ("sampler", sampler), ("clf", LogisticRegression())]
    )


def test_pipeline_fits_and_predicts(make_sampler, imbalanced):
    X, y = imbalanced
    pipeline = _pipeline(make_sampler()).fit(X, y)
    assert pipeline.predict(X).shape == y.shape
    assert 0.0 <= pipeline.score(X, y) <= 1.0


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
