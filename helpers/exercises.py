"""Is an exercise finished? So that a notebook with unfinished exercises still runs top to bottom.

A student notebook's answer cells start as a skeleton: either a bare ``...`` body, or the
lab-style ``# TODO: Replace FILL_IN with appropriate code`` with the structure given
(``trainData.mapPartitions(FILL_IN).reduce(FILL_IN)``). ``FILL_IN`` is deliberately an
undefined name, not ``<FILL IN>``: the cell must stay valid Python, so that running it defines
the function instead of stopping "Run All" with a SyntaxError, and calling the unfinished
function fails with ``NameError: name 'FILL_IN' is not defined``, which says what to do.

The cells that *use* a student's function (to compare it with a reference, to plot it) start
with ``if helpers.finished(fn):``; while ``fn`` is unfinished they print one line saying so
and skip, instead of failing with a Spark traceback that stops the notebook.
"""

from __future__ import annotations

import dis
import types

__all__ = ["PLACEHOLDER", "finished", "unfinished_reason"]

PLACEHOLDER = "FILL_IN"


def _only_returns_none(code: types.CodeType) -> bool:
    """The body does nothing but return None (``...``, ``pass``, a docstring)."""
    ops = [(i.opname, i.argval) for i in dis.get_instructions(code)
           if i.opname not in ("RESUME", "NOP", "CACHE")]
    return ops in ([("LOAD_CONST", None), ("RETURN_VALUE", None)], [("RETURN_CONST", None)])


def _names(code: types.CodeType):
    """Every global or attribute name ``code`` and the functions nested in it refer to."""
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _names(const)


def unfinished_reason(fn) -> str | None:
    """Why ``fn`` looks unfinished (its body is only ``...``, or it still holds ``FILL_IN``),
    or None. Anything that is not a plain Python function counts as finished.

    >>> def done(x):
    ...     return 2 * x
    >>> def skeleton(x):
    ...     "Twice x."
    ...     ...
    >>> def half_done(rdd):
    ...     return rdd.map(FILL_IN).reduce(lambda a, b: a + b)
    >>> unfinished_reason(done) is None
    True
    >>> unfinished_reason(skeleton)
    'its body is still `...`'
    >>> unfinished_reason(half_done)
    'it still has FILL_IN in it'
    """
    code = getattr(fn, "__code__", None)
    if not isinstance(code, types.CodeType):
        return None
    if PLACEHOLDER in set(_names(code)):
        return f"it still has {PLACEHOLDER} in it"
    if _only_returns_none(code):
        return "its body is still `...`"
    return None


def finished(*functions) -> bool:
    """True when every function is written; else print which are not, and return False.

    The cells that use an exercise's function start with ``if helpers.finished(fn):``.
    """
    missing = [(getattr(fn, "__name__", repr(fn)), unfinished_reason(fn)) for fn in functions]
    missing = [(name, why) for name, why in missing if why]
    for name, why in missing:
        print(f"Skipped: `{name}` is not finished yet ({why}). Complete its answer cell, run it "
              f"and its check cell, then run this cell again.")
    return not missing
