"""Progress bars for long cells (sweeps, training loops) that render in JupyterLab and terminals."""

from __future__ import annotations

__all__ = ["progress"]


def progress(iterable, desc: str = "", total: int | None = None, **kwargs):
    """Wrap ``iterable`` in a progress bar (a widget in JupyterLab, text elsewhere).

    >>> list(progress(range(3), disable=True))
    [0, 1, 2]
    """
    from tqdm.auto import tqdm

    kwargs.setdefault("leave", False)  # a finished sweep leaves its results, not its bar
    return tqdm(iterable, desc=desc, total=total, **kwargs)
