"""imbalanced-learn's estimator checks on both samplers."""

from imblearn.utils.estimator_checks import parametrize_with_checks

from .conftest import tiny_gan, tiny_vae

EXPECTED_FAILURES = {
    "check_samplers_pandas_sparse": (
        "sparse input is refused with a TypeError: the networks need dense rows"
    ),
}


@parametrize_with_checks(
    [tiny_gan(), tiny_vae()], expected_failed_checks=lambda estimator: EXPECTED_FAILURES
)
def test_imblearn_compatible(estimator, check):
    check(estimator)


def test_parameter_validation_names_the_parameter():
    from imblearn.utils.estimator_checks import check_param_validation

    for sampler in (tiny_gan(), tiny_vae()):
        check_param_validation(type(sampler).__name__, sampler)
