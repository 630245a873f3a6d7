"""Sampler specifications: parsing ``--samplers`` text and building samplers.

A sampler is named in one of two ways::

    NAME[:key=value[,key=value ...]]                 a built-in name
    MODULE:CLASS[:key=value[,key=value ...]]         any importable class

Built-in names are listed in :data:`BUILTIN_SAMPLERS`. Values are parsed with
:func:`ast.literal_eval` (numbers, strings, tuples, lists, dicts, ``None``,
``True``); a value that is not a Python literal is kept as a plain string.
Several samplers may share one argument, separated by commas; a comma-separated
piece of the form ``key=value`` belongs to the sampler before it, so
``smote,gan:max_iter=50,batch_size=32,vae`` names three samplers.

``random_state`` is always set by the harness (one value per repeat and fold)
when the class accepts it. The reserved key ``_input`` chooses what a custom
sampler receives: ``encoded`` (default: one-hot encoded, standardised numbers)
or ``frame`` (the raw ``DataFrame`` with nominal columns as ``category``).
"""

from __future__ import annotations

import ast
import importlib
import inspect
from dataclasses import dataclass, field
from typing import Any

#: Sampler input kinds (see :mod:`benchmarks.preprocessing`).
ENCODED = "encoded"
FRAME = "frame"
SMOTENC_INPUT = "smotenc"
IMPUTED_INPUT = "imputed"
INPUT_KINDS = (ENCODED, FRAME, SMOTENC_INPUT, IMPUTED_INPUT)

#: Shrinkage of the smoothed bootstrap of ``ros-shrink``. With 1.0 the
#: per-feature kernel bandwidth is exactly the rule-of-thumb value used by
#: imbalanced-learn (the ROSE smoothed bootstrap); 0 would be plain random
#: over-sampling.
ROS_SHRINKAGE = 1.0

#: Reserved parameter key choosing the input kind of a sampler.
INPUT_KEY = "_input"


@dataclass(frozen=True)
class _Builtin:
    target: str | None
    defaults: dict[str, Any]
    input_kind: str
    tune_threshold: bool = False
    description: str = ""


#: Built-in samplers, by name.
BUILTIN_SAMPLERS: dict[str, _Builtin] = {
    "none": _Builtin(None, {}, ENCODED, description="no resampling"),
    "none-tuned": _Builtin(
        None,
        {},
        ENCODED,
        tune_threshold=True,
        description="no resampling, F1-tuned threshold (TunedThresholdClassifierCV)",
    ),
    "ros": _Builtin(
        "imblearn.over_sampling:RandomOverSampler", {}, ENCODED, description="random copies"
    ),
    "ros-shrink": _Builtin(
        "imblearn.over_sampling:RandomOverSampler",
        {"shrinkage": ROS_SHRINKAGE},
        ENCODED,
        description=f"smoothed bootstrap, RandomOverSampler(shrinkage={ROS_SHRINKAGE})",
    ),
    "smote": _Builtin("imblearn.over_sampling:SMOTE", {}, ENCODED, description="SMOTE"),
    "adasyn": _Builtin("imblearn.over_sampling:ADASYN", {}, ENCODED, description="ADASYN"),
    "borderline-smote": _Builtin(
        "imblearn.over_sampling:BorderlineSMOTE", {}, ENCODED, description="Borderline-SMOTE-1"
    ),
    "smotenc": _Builtin(
        "imblearn.over_sampling:SMOTENC",
        {},
        SMOTENC_INPUT,
        description="SMOTE-NC; only for datasets with nominal columns",
    ),
    "imputer-smote": _Builtin(
        "imblearn.over_sampling:SMOTE",
        {},
        IMPUTED_INPUT,
        description="median/mode imputation with missing indicators, then SMOTE "
        "(SMOTE-NC on datasets with nominal columns)",
    ),
    "gan": _Builtin(
        "imblearn_deepgen:GANOverSampler", {}, FRAME, description="imblearn_deepgen GAN"
    ),
    "vae": _Builtin(
        "imblearn_deepgen:VAEOverSampler", {}, FRAME, description="imblearn_deepgen VAE"
    ),
}

#: Samplers run when ``--samplers`` is not given.
DEFAULT_SAMPLERS = (
    "none",
    "none-tuned",
    "ros",
    "ros-shrink",
    "smote",
    "adasyn",
    "borderline-smote",
    "gan",
    "vae",
)


#: Samplers run on data with missing values (``--missing-data``) when
#: ``--samplers`` is not given: those that take missing values as they are,
#: and imputation before SMOTE.
MISSING_DATA_SAMPLERS = ("none", "none-tuned", "ros", "imputer-smote", "gan", "vae")


@dataclass(frozen=True)
class SamplerSpec:
    """What to run as one sampler of the benchmark.

    Parameters
    ----------
    label : str
        Name in result tables (the specification text, normalised).
    target : str or None
        ``"module:Class"`` to import, or ``None`` for no resampling.
    params : dict
        Keyword arguments for the class, besides ``random_state``.
    input_kind : {"encoded", "frame", "smotenc", "imputed"}
        What the sampler receives (see :mod:`benchmarks.preprocessing`).
    tune_threshold : bool
        Wrap each classifier in ``TunedThresholdClassifierCV(scoring="f1")``.
    """

    label: str
    target: str | None
    params: dict[str, Any] = field(default_factory=dict)
    input_kind: str = ENCODED
    tune_threshold: bool = False

    @property
    def base_name(self) -> str:
        """The part of the label before the first colon (``gan`` for ``gan:max_iter=5``)."""
        return self.label.split(":", 1)[0]


def split_top_level(text: str, separator: str) -> list[str]:
    """Split ``text`` at ``separator`` outside brackets and quotes.

    Parameters
    ----------
    text : str
        Text to split.
    separator : str
        A single character.

    Returns
    -------
    list of str
        The pieces (stripped of surrounding whitespace).
    """
    pieces, current, depth, quote = [], [], 0, None
    for char in text:
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == separator and depth == 0:
            pieces.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    pieces.append("".join(current).strip())
    return pieces


def parse_value(text: str) -> Any:
    """Parse a parameter value as a Python literal, or keep it as a string.

    Examples
    --------
    >>> parse_value("3"), parse_value("0.5"), parse_value("None"), parse_value("minority")
    (3, 0.5, None, 'minority')
    """
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _parse_params(text: str, spec_text: str) -> tuple[dict[str, Any], list[str]]:
    params, normalised = {}, []
    for piece in split_top_level(text, ","):
        if not piece:
            continue
        key, sep, raw = piece.partition("=")
        key, raw = key.strip(), raw.strip()
        if not sep or not key.isidentifier():
            raise ValueError(f"bad parameter {piece!r} in sampler {spec_text!r}: use key=value")
        params[key] = parse_value(raw)
        normalised.append(f"{key}={raw}")
    return params, normalised


def parse_sampler_spec(text: str) -> SamplerSpec:
    """Parse one sampler specification.

    Parameters
    ----------
    text : str
        ``NAME[:params]`` or ``MODULE:CLASS[:params]``, params being
        ``key=value`` pairs separated by commas.

    Returns
    -------
    SamplerSpec
        The parsed specification. Nothing is imported yet.

    Examples
    --------
    >>> spec = parse_sampler_spec("gan:max_iter=50")
    >>> spec.label, spec.target, spec.params
    ('gan:max_iter=50', 'imblearn_deepgen:GANOverSampler', {'max_iter': 50})
    >>> parse_sampler_spec("imblearn.over_sampling:SVMSMOTE:k_neighbors=3").params
    {'k_neighbors': 3}
    """
    text = text.strip()
    parts = split_top_level(text, ":")
    if parts[0] in BUILTIN_SAMPLERS:
        if len(parts) > 2:
            raise ValueError(f"bad sampler {text!r}: use NAME:key=value,...")
        builtin = BUILTIN_SAMPLERS[parts[0]]
        head, target = parts[0], builtin.target
        param_text = parts[1] if len(parts) == 2 else ""
        params = dict(builtin.defaults)
        input_kind, tune_threshold = builtin.input_kind, builtin.tune_threshold
    elif len(parts) in (2, 3) and parts[1].isidentifier():
        head, target = f"{parts[0]}:{parts[1]}", f"{parts[0]}:{parts[1]}"
        param_text = parts[2] if len(parts) == 3 else ""
        params, input_kind, tune_threshold = {}, ENCODED, False
    else:
        known = ", ".join(BUILTIN_SAMPLERS)
        raise ValueError(f"unknown sampler {text!r}: use one of {known} or MODULE:CLASS")
    user_params, normalised = _parse_params(param_text, text)
    if target is None and set(user_params) - {INPUT_KEY}:
        raise ValueError(f"sampler {head!r} takes no parameters")
    input_kind = user_params.pop(INPUT_KEY, input_kind)
    if input_kind not in INPUT_KINDS:
        raise ValueError(f"{INPUT_KEY} must be one of {INPUT_KINDS}, got {input_kind!r}")
    params.update(user_params)
    label = f"{head}:{','.join(normalised)}" if normalised else head
    return SamplerSpec(label, target, params, input_kind, tune_threshold)


def _has_params(text: str) -> bool:
    parts = split_top_level(text, ":")
    return len(parts) >= (2 if parts[0] in BUILTIN_SAMPLERS else 3)


def parse_sampler_list(arguments: list[str] | tuple[str, ...]) -> list[SamplerSpec]:
    """Parse the values of ``--samplers`` (each may hold several comma-separated samplers).

    Parameters
    ----------
    arguments : list of str
        Command-line values.

    Returns
    -------
    list of SamplerSpec
        One specification per sampler, in order, without duplicates.

    Examples
    --------
    >>> [s.label for s in parse_sampler_list(["smote,gan:max_iter=5,lr=0.1", "vae"])]
    ['smote', 'gan:max_iter=5,lr=0.1', 'vae']
    """
    texts: list[str] = []
    for argument in arguments:
        for piece in split_top_level(argument, ","):
            if not piece:
                continue
            key = piece.partition("=")[0].strip()
            # "key=value" without a colon continues the previous sampler's parameters.
            if "=" in piece and key.isidentifier() and texts:
                separator = "," if _has_params(texts[-1]) else ":"
                texts[-1] = f"{texts[-1]}{separator}{piece}"
            else:
                texts.append(piece)
    specs, seen = [], set()
    for text in texts:
        spec = parse_sampler_spec(text)
        if spec.label not in seen:
            seen.add(spec.label)
            specs.append(spec)
    return specs


def resolve_class(target: str) -> type:
    """Import ``"module:Class"`` and return the class.

    Parameters
    ----------
    target : str
        Import path, module and attribute separated by a colon.

    Returns
    -------
    type
        The class.
    """
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def _accepts(cls: type, parameter: str) -> bool:
    try:
        signature = inspect.signature(cls)
    except (TypeError, ValueError):
        return False
    return parameter in signature.parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values()
    )


def build_sampler(spec: SamplerSpec, random_state: int, categorical_features=None):
    """Instantiate the sampler of ``spec``.

    Parameters
    ----------
    spec : SamplerSpec
        Which sampler.
    random_state : int
        Seed passed as ``random_state`` when the class accepts it.
    categorical_features : list of str, optional
        Nominal column names, passed to samplers that take
        ``categorical_features`` (SMOTE-NC) unless set in ``spec.params``.

    Returns
    -------
    object or None
        A fresh sampler with ``fit_resample``, or ``None`` for no resampling.
    """
    if spec.target is None:
        return None
    cls = resolve_class(spec.target)
    params = dict(spec.params)
    if _accepts(cls, "random_state"):
        params["random_state"] = random_state
    if spec.input_kind == SMOTENC_INPUT and "categorical_features" not in params:
        params["categorical_features"] = list(categorical_features or [])
    if spec.input_kind == IMPUTED_INPUT and categorical_features:
        # Imputed nominal columns are still categories: SMOTE-NC samples them.
        return resolve_class("imblearn.over_sampling:SMOTENC")(
            categorical_features=list(categorical_features), **params
        )
    return cls(**params)


def check_sampler(spec: SamplerSpec) -> str | None:
    """Try to import and instantiate a sampler, to warn early about typos.

    Parameters
    ----------
    spec : SamplerSpec
        Which sampler.

    Returns
    -------
    str or None
        A message describing the problem, or ``None`` when it builds.
    """
    try:
        build_sampler(spec, random_state=0, categorical_features=["_"])
    except Exception as exc:  # any import or constructor error is reported, not raised
        return f"{type(exc).__name__}: {exc}"
    return None


def not_applicable_reason(spec: SamplerSpec, nominal_columns) -> str | None:
    """Say why a sampler does not apply to a dataset, or return ``None``.

    SMOTE-NC needs nominal columns; on purely numeric data it is recorded as
    not applicable rather than silently replaced by SMOTE.

    Parameters
    ----------
    spec : SamplerSpec
        Which sampler.
    nominal_columns : sequence of str
        Nominal columns of the dataset.

    Returns
    -------
    str or None
        The reason, or ``None`` when the sampler applies.
    """
    if spec.input_kind == SMOTENC_INPUT and not len(nominal_columns):
        return "NotApplicable: SMOTE-NC needs nominal columns and this dataset has none"
    return None
