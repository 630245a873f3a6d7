"""Sphinx configuration of the imblearn-deepgen documentation.

Build with ``make docs`` (or ``sphinx-build -W --keep-going -b html docs docs/_build/html``).
The examples in ``docs/examples`` are executed by sphinx-gallery, the ``run-code``
snippets of the user guide by ``sphinxext/run_code.py``; result files written by the
benchmark harness and the scripts in ``docs/scripts`` are picked up from
``docs/results`` when they exist.
"""

import os
import re
import sys
from pathlib import Path

# Examples and snippets run on the CPU (set before torch is imported), so that their
# output is the same on every build machine and the pages can say so.
os.environ["CUDA_VISIBLE_DEVICES"] = ""
os.environ.setdefault("MPLBACKEND", "Agg")

import imblearn_deepgen  # noqa: E402

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "sphinxext"))

project = "imblearn-deepgen"
author = "imblearn-deepgen developers"
copyright = "imblearn-deepgen developers"
version = release = imblearn_deepgen.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "run_code",
]

templates_path = ["_templates"]
html_static_path = ["_static"]
exclude_patterns = [
    "_build",
    "results/**",  # included into pages, not pages of their own
    "examples/GALLERY_HEADER.rst",
    "sg_execution_times.rst",
]
root_doc = "index"
default_role = "literal"

# -- API pages ----------------------------------------------------------------
autosummary_generate = True
autodoc_default_options = {"inherited-members": False}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True

# -- HTML ---------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"imblearn-deepgen {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 8,
    "secondary_sidebar_items": ["page-toc"],
}
html_sidebars = {"index": [], "install": [], "changelog": []}
html_show_sourcelink = False

# -- Examples -----------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"\.py$",  # execute every example
    "abort_on_example_error": True,
    "download_all_examples": False,
    "show_signature": False,
    "remove_config_comments": True,
    "min_reported_time": 1,
    "within_subsection_order": "FileNameSortKey",
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    "reset_modules": ("matplotlib",),
    "write_computation_times": False,
    "doc_module": ("imblearn_deepgen",),
    "backreferences_dir": "generated/backreferences",
}

# -- Result files -------------------------------------------------------------
# docs/results/<name>/ holds files written by the benchmark harness or by
# docs/scripts. Each page includes _generated/results_<name>.inc, written here:
# the files present, or the folder's README when there are none yet.
RESULTS = DOCS / "results"
GENERATED = DOCS / "_generated"
_CSV_MAX_ROWS = 60
_CSV_MAX_COLUMNS = 24
# Compressed files are a run's raw rows, offered for download after the rest.
_GROUP = {".csv": 0, ".md": 1, ".txt": 1, ".png": 2, ".svg": 2, ".gz": 3}


def _csv_shape(path):
    import pandas as pd

    frame = pd.read_csv(path)
    return frame.shape


def _result_block(path):
    relative = "/" + path.relative_to(DOCS).as_posix()
    lines = [f".. rubric:: {path.name}", ""]
    suffix = path.suffix
    if suffix == ".csv":
        n_rows, n_columns = _csv_shape(path)
        if 0 < n_rows <= _CSV_MAX_ROWS and n_columns <= _CSV_MAX_COLUMNS:
            lines += [
                ".. csv-table::",
                # docutils resolves this relative to the .inc file in _generated/
                f"   :file: ..{relative}",
                "   :header-rows: 1",
                "   :class: result-table",
                "",
            ]
        else:
            lines += [
                f"{n_rows} rows and {n_columns} columns: :download:`download {path.name} "
                f"<{relative}>`.",
                "",
            ]
    elif suffix in (".md", ".txt"):
        lines += [f".. literalinclude:: {relative}", "   :language: none", ""]
    elif suffix in (".png", ".svg"):
        lines += [f".. image:: {relative}", f"   :alt: {path.stem}", "   :width: 100%", ""]
    else:
        lines += [f":download:`{path.name} <{relative}>`", ""]
    return lines


def write_result_includes():
    """Write one include file per results folder; never fails on a missing folder."""
    GENERATED.mkdir(exist_ok=True)
    shown = tuple(_GROUP)
    for name in ("benchmarks", "history", "ablation", "speed", "fidelity"):
        folder = RESULTS / name
        # Tables first, then text, figures and raw rows; by name within each group.
        files = sorted(
            (
                path
                for path in (folder.iterdir() if folder.is_dir() else [])
                if path.is_file() and path.suffix in shown
            ),
            key=lambda path: (_GROUP[path.suffix], path.name),
        )
        if files:
            lines = []
            for path in files:
                lines += _result_block(path)
        elif (folder / "README.rst").exists():
            lines = [f".. include:: /results/{name}/README.rst", ""]
        else:
            lines = ["No results have been recorded yet.", ""]
        target = GENERATED / f"results_{name}.inc"
        text = "\n".join(lines)
        if not target.exists() or target.read_text() != text:
            target.write_text(text)


write_result_includes()


# -- Checks -------------------------------------------------------------------
def check_api_coverage(app):
    """Warn (an error under -W) when a public object is missing from api.rst."""
    from sphinx.util import logging

    import imblearn_deepgen.metrics
    import imblearn_deepgen.plotting

    text = (DOCS / "api.rst").read_text()
    listed = set(re.findall(r"^   (\w+)$", text, flags=re.MULTILINE))
    public = {name for name in imblearn_deepgen.__all__ if not name.startswith("__")}
    public |= set(imblearn_deepgen.metrics.__all__) | set(imblearn_deepgen.plotting.__all__)
    missing = sorted(public - listed)
    if missing:
        logging.getLogger(__name__).warning(
            "api.rst does not list the public objects %s; add them to an autosummary", missing
        )


# A fitted-attribute name such as ``n_features_in_`` written without backticks in a
# "shape (...)" type would be read as an RST link target; escape its underscore.
_SHAPE_NAME = re.compile(r"(?<![`\w])(\w+)_(?=[,)])")


def escape_shape_underscores(app, what, name, obj, options, lines):
    for i, line in enumerate(lines):
        if "shape (" in line:
            lines[i] = _SHAPE_NAME.sub(r"\1\\_", line)


def setup(app):
    app.connect("builder-inited", check_api_coverage)
    # before numpydoc (priority 500) turns the docstring into RST
    app.connect("autodoc-process-docstring", escape_shape_underscores, priority=100)
