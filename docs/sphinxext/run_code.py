"""The ``run-code`` directive: run a Python snippet while the docs build, show it and its output.

Every snippet of one page runs in a namespace shared by that page, top to bottom, so
later snippets can use names defined earlier. A snippet that raises fails the build,
unless it has the ``:raises:`` option naming the exception it must raise; then the
exception and its message are shown as the output. Warnings raised by a snippet are
shown after its printed output.

Options
-------
:raises: ExceptionName
    The snippet must raise this exception (or a subclass).
:hide-code:
    Show only the output.
"""

import contextlib
import io
import textwrap
import warnings

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

_NAMESPACES = "run_code_namespaces"
_WIDTH = 88


def _wrap(text):
    lines = []
    for line in text.splitlines():
        lines.extend(textwrap.wrap(line, _WIDTH, subsequent_indent="    ") or [""])
    return "\n".join(lines)


class RunCode(SphinxDirective):
    has_content = True
    option_spec = {"raises": directives.unchanged_required, "hide-code": directives.flag}

    def run(self):
        code = "\n".join(self.content)
        namespaces = self.env.temp_data.setdefault(_NAMESPACES, {})
        namespace = namespaces.setdefault(self.env.docname, {"__name__": "__main__"})
        expected = self.options.get("raises")
        printed = io.StringIO()
        raised = None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                with contextlib.redirect_stdout(printed):
                    exec(compile(code, f"<run-code in {self.env.docname}>", "exec"), namespace)
            except Exception as exc:  # reported below
                raised = exc
        if raised is not None and (
            expected is None or expected not in [cls.__name__ for cls in type(raised).__mro__]
        ):
            raise self.error(
                f"run-code snippet raised {type(raised).__name__}: {raised}\n\n{code}"
            ) from raised
        if raised is None and expected is not None:
            raise self.error(f"run-code snippet was expected to raise {expected}:\n\n{code}")

        output = printed.getvalue().rstrip("\n")
        shown_warnings = [
            f"{w.category.__name__}: {w.message}"
            for w in caught
            if not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning))
        ]
        if shown_warnings:
            output = "\n".join([output, *shown_warnings]).strip("\n")
        if raised is not None:
            output = "\n".join([output, f"{type(raised).__name__}: {raised}"]).strip("\n")

        result = []
        if "hide-code" not in self.options:
            code_node = nodes.literal_block(code, code)
            code_node["language"] = "python"
            self.set_source_info(code_node)
            result.append(code_node)
        if output:
            output = _wrap(output)
            output_node = nodes.literal_block(output, output, classes=["run-code-output"])
            output_node["language"] = "none"
            self.set_source_info(output_node)
            result.append(output_node)
        return result


def setup(app):
    app.add_directive("run-code", RunCode)
    app.add_css_file("run_code.css")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
