"""IPython syntax in a submission's cells, as the plain Python a fresh IPython kernel would run.

Students time, silence and shell out in their answer cells: ``%%time`` or ``%%capture`` on the
first line, ``%time x = f()``, ``%timeit f()``, ``!ls``. The sandbox runs plain Python (its
``get_ipython()`` does nothing), so a cell starting with ``%%time`` used to define nothing and a
correct answer scored 0. Here, in trusted code before anything is sent to the sandbox, each
magic becomes what IPython would have left in the namespace:

- ``%%time``, ``%%prun``, ``%%python``, ``%%python3``, ``%%capture [--flags] [var]``: the body
  runs in the notebook's namespace (its definitions stay); ``%%capture`` redirects the output and
  binds ``var`` to an object with ``stdout``, ``stderr``, ``outputs`` and ``show()``;
- ``%%timeit [setup]``: setup and body run once, in a function's local scope (as in IPython,
  nothing they define stays);
- ``%time stmt``, ``%prun stmt`` (options dropped): the statement, in the namespace; ``x = %time
  expr`` assigns ``expr``; ``%timeit stmt``: run once in a local scope;
- ``!cmd``: nothing (``x = !cmd``: an empty list); ``%%bash``, ``%%writefile``, ``%%html`` and
  every other cell magic: the body is not Python and is not run; other line magics
  (``%matplotlib``, ``%load_ext``...) stay calls of the sandbox's inert ``get_ipython()``.

A cell whose (magic-free) body does not parse is returned as that body, so the sandbox reports
the SyntaxError with the student's line numbers, as IPython would.
"""

from __future__ import annotations

import ast

__all__ = ["normalize", "to_python"]

BODY_IN_NAMESPACE = {"time", "prun", "python", "python3", "capture", "debug"}
BODY_IN_FUNCTION = {"timeit"}
LINE_IN_NAMESPACE = {"time", "prun", "debug"}
LINE_IN_FUNCTION = {"timeit"}
# options of %timeit / %prun that take a value (-n 10, -s cumulative)
_VALUED = {"-n", "-r", "-p", "-l", "-s", "-T", "-D"}
_PREFIX = "_distml_magic"


def normalize(source: str) -> str:
    """A cell's source with Windows or old-Mac line ends as ``\\n`` and no byte-order mark."""
    if source.startswith("\ufeff"):
        source = source[1:]
    return source.replace("\r\n", "\n").replace("\r", "\n")


def to_python(source: str) -> str:
    """Plain Python for a cell (``source`` itself when it has no IPython syntax)."""
    source = normalize(source)
    if not any(ch in source for ch in "%!?"):
        return source
    try:
        if _ipython(source).rstrip() == source.rstrip():
            return source  # "%" as an operator, "!=", "?" in strings: nothing to rewrite
        return ast.unparse(_tree(source)) + "\n"
    except _BodyDoesNotParse as err:
        return err.body
    except (SyntaxError, ValueError, RecursionError, ImportError):
        return source  # the sandbox reports what is wrong with it


class _BodyDoesNotParse(Exception):
    def __init__(self, body: str):
        super().__init__(body)
        self.body = body


def _ipython(source: str) -> str:
    from IPython.core.inputtransformer2 import TransformerManager
    return TransformerManager().transform_cell(source)


def _tree(source: str) -> ast.Module:
    """The cell as an AST with every magic replaced (raises SyntaxError)."""
    text = _ipython(source)
    try:
        tree = ast.parse(text)
    except SyntaxError:
        raise _BodyDoesNotParse(source) from None
    tree = _Rewriter().visit(tree)
    return ast.fix_missing_locations(tree)


def _body(source: str) -> list[ast.stmt]:
    try:
        return _tree(source).body
    except _BodyDoesNotParse:
        raise _BodyDoesNotParse(normalize(source)) from None


def _strip_options(arg: str) -> str:
    words = arg.strip()
    while words.startswith("-"):
        head, _, rest = words.partition(" ")
        words = rest.lstrip()
        if head in _VALUED:
            _, _, words = words.partition(" ")
            words = words.lstrip()
    return words


def _magic_call(node) -> tuple[str, list[str]] | None:
    """``(method, [str args])`` of ``get_ipython().method('...', ...)``, else None."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Call)
            and isinstance(node.func.value.func, ast.Name)
            and node.func.value.func.id == "get_ipython"):
        return None
    args = []
    for a in node.args:
        if not (isinstance(a, ast.Constant) and isinstance(a.value, str)):
            return None
        args.append(a.value)
    return node.func.attr, args


def _in_function(statements: list[ast.stmt]) -> list[ast.stmt]:
    """``def f(): <statements>`` then ``f()``: run once, nothing defined stays."""
    name = f"{_PREFIX}_timeit"
    fn = ast.parse(f"def {name}():\n    pass\n{name}()\ndel {name}\n").body
    fn[0].body = statements or [ast.Pass()]
    return fn


def _captured(statements: list[ast.stmt], arg: str) -> list[ast.stmt]:
    names = [w for w in arg.split() if not w.startswith("-")]
    var = names[0] if names and names[0].isidentifier() else None
    p = _PREFIX
    code = (f"import contextlib as {p}_cl, io as {p}_io, types as {p}_types\n"
            f"{p}_out, {p}_err = {p}_io.StringIO(), {p}_io.StringIO()\n"
            f"try:\n"
            f"    with {p}_cl.redirect_stdout({p}_out), {p}_cl.redirect_stderr({p}_err):\n"
            f"        pass\n"
            f"finally:\n"
            + (f"    {var} = {p}_types.SimpleNamespace(stdout={p}_out.getvalue(), "
               f"stderr={p}_err.getvalue(), outputs=[], show=lambda: None)\n" if var else
               "    pass\n"))
    tree = ast.parse(code).body
    tree[2].body[0].body = statements or [ast.Pass()]
    return tree


class _Rewriter(ast.NodeTransformer):
    def visit_Expr(self, node):
        call = _magic_call(node.value)
        if call is None:
            return self.generic_visit(node)
        method, args = call
        if method == "run_cell_magic" and len(args) == 3:
            name, line, body = args
            if name in BODY_IN_NAMESPACE:
                stmts = _body(body)
                return _captured(stmts, line) if name == "capture" else (stmts or ast.Pass())
            if name in BODY_IN_FUNCTION:
                setup = _strip_options(line)
                return _in_function((_body(setup) if setup else []) + _body(body))
            return ast.Pass()  # %%bash, %%writefile, %%html...: not Python
        if method == "run_line_magic" and len(args) == 2:
            name, line = args
            if name in LINE_IN_NAMESPACE:
                return _body(_strip_options(line)) or ast.Pass()
            if name in LINE_IN_FUNCTION:
                return _in_function(_body(_strip_options(line)))
            return node  # %matplotlib, %load_ext...: the sandbox's get_ipython() ignores them
        if method in ("system", "getoutput"):
            return ast.Pass()
        return node

    def visit_Call(self, node):
        call = _magic_call(node)
        if call is None:
            return self.generic_visit(node)
        method, args = call
        if method == "getoutput":
            return ast.copy_location(ast.List(elts=[], ctx=ast.Load()), node)
        if method == "system":
            return ast.copy_location(ast.Constant(None), node)
        if method == "run_line_magic" and len(args) == 2 and args[0] in LINE_IN_NAMESPACE:
            try:
                expr = ast.parse(_strip_options(args[1]), mode="eval").body
            except SyntaxError:
                return node
            return ast.copy_location(self.visit(expr), node)
        return node
