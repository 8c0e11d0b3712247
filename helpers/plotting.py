"""Presentation only: the plots the notebooks share, so notebooks keep to the lesson."""

from __future__ import annotations

import numpy as np

__all__ = ["plot_scaling", "plot_error_curve", "plot_error_curves", "plot_predictions",
           "plot_label_histogram", "plot_feature_heatmap", "plot_grid_heatmap"]


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots(figsize=(5, 3.5))
    return ax


def plot_scaling(x, measured, model, *, xlabel: str, ylabel: str, title: str = "",
                 model_label: str = "cost model", ax=None):
    """Log-log plot of measurements beside a cost model scaled to pass through them.

    Only the model's *shape* is a prediction, so it is scaled by the median ratio
    measured/model; a slope that differs from the model's shows as diverging lines.
    """
    ax = _axes(ax)
    x, measured, model = (np.asarray(v, float) for v in (x, measured, model))
    scale = np.median(measured / model)
    ax.loglog(x, measured, "o-", label="measured")
    ax.loglog(x, model * scale, "--", label=model_label)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    return ax


def plot_error_curve(errors, *, ylabel: str = "training RMSE (years)", label=None, ax=None):
    """Error per iteration on a log scale."""
    ax = _axes(ax)
    ax.semilogy(np.arange(len(errors)), errors, label=label)
    ax.set(xlabel="iteration", ylabel=ylabel)
    ax.grid(True, which="both", alpha=0.3)
    if label:
        ax.legend()
    return ax


def plot_error_curves(curves: dict, *, optimum: float | None = None,
                      ylabel: str = "training RMSE (years)", blow_up: float = 10.0):
    """Error per iteration of several runs, the runs that blow up drawn apart.

    A run whose error ever exceeds ``blow_up`` times its starting error (or stops being finite)
    goes to a second panel with a log axis; the others share a linear axis fitted to their last
    80% of iterations, so that runs ending at 18.8 and 20.1 against an optimum of 16.0 stay
    distinguishable next to one that reaches 1e38 (and next to their own early overshoot).

    Args:
        curves: label -> errors, one per iteration.
        optimum: drawn as a dashed line on the first panel, if given.

    Returns:
        the list of axes (one or two).
    """
    import matplotlib.pyplot as plt

    def blows_up(errors):
        errors = np.asarray(errors, float)
        return not np.all(np.isfinite(errors)) or errors.max() > blow_up * errors[0]

    tame = {k: np.asarray(v, float) for k, v in curves.items() if not blows_up(v)}
    wild = {k: np.asarray(v, float) for k, v in curves.items() if blows_up(v)}
    panels = 1 + bool(wild) if tame else 1
    fig, axes = plt.subplots(1, panels, figsize=(5.5 * panels, 3.5), squeeze=False)
    axes = list(axes[0])
    first = axes[0]
    colours = dict(zip(curves, plt.rcParams["axes.prop_cycle"].by_key()["color"] * 4))
    for label, errors in (tame or wild).items():
        first.plot(np.arange(len(errors)), errors, label=label, color=colours[label])
    if tame:
        # The axis spans the last 80% of the iterations (and the optimum): the early overshoot
        # leaves the top of the panel, and the ends of the curves stay apart.
        tails = [errors[len(errors) // 5:] for errors in tame.values()]
        values = np.concatenate(tails + ([[optimum]] if optimum is not None else []))
        low, high = values.min(), values.max()
        pad = 0.1 * (high - low) or 1.0
        first.set_ylim(low - pad, high + pad)
        first.set_title("runs that settle (axis fitted to their last 80%)")
    else:
        first.set_yscale("log")
    if optimum is not None:
        first.axhline(optimum, color="k", ls="--", lw=1, label="optimum")
    first.set(xlabel="iteration", ylabel=ylabel)
    first.grid(True, alpha=0.3)
    first.legend(fontsize=8)
    if tame and wild:
        second = axes[1]
        for label, errors in wild.items():
            shown = np.where(np.isfinite(errors), errors, np.nan)
            second.semilogy(np.arange(len(errors)), shown, label=label, color=colours[label])
        second.set(xlabel="iteration", ylabel=f"{ylabel}, log scale", title="runs that blow up")
        second.grid(True, which="both", alpha=0.3)
        second.legend(fontsize=8)
    fig.tight_layout()
    return axes


def plot_predictions(labels, predictions, *, units: str = "years", error_units: str | None = None,
                     ax=None):
    """Predicted against actual values, each point coloured by its absolute error.

    As in the BerkeleyX lab: a point's colour is ``|prediction - label|`` (colour bar in
    ``error_units``), and the dashed diagonal marks perfect predictions, so the points far from
    it stand out in colour too.

    Args:
        labels: the actual values, shape ``(n,)``, in ``units``.
        predictions: the model's predictions for the same points, shape ``(n,)``, in ``units``.
        units: the unit of both axes, e.g. ``"years since the earliest song"``.
        error_units: the unit of a difference of two values (for shifted years still
            ``"years"``); defaults to ``units``.
        ax: the axes to draw on; a new figure when None.

    Returns:
        the axes (the scatter is ``ax.collections[0]``, its colours the absolute errors).
    """
    ax = _axes(ax)
    labels, predictions = np.asarray(labels, float), np.asarray(predictions, float)
    if labels.shape != predictions.shape or labels.ndim != 1:
        raise ValueError(f"labels and predictions must be two vectors of the same length, "
                         f"not shapes {labels.shape} and {predictions.shape}")
    error = np.abs(predictions - labels)
    points = ax.scatter(labels, predictions, c=error, cmap="viridis", s=8, alpha=0.7)
    ax.figure.colorbar(points, ax=ax, label=f"absolute error ({error_units or units})")
    lo, hi = labels.min(), labels.max()
    ax.plot([lo, hi], [lo, hi], "k--", lw=1, label="perfect prediction")
    ax.set(xlabel=f"actual ({units})", ylabel=f"predicted ({units})")
    ax.legend(loc="upper left")
    return ax


def plot_label_histogram(edges, counts, *, origin: float, ax=None):
    """Bar chart of how many points fall in each label bin, e.g. from Spark's ``RDD.histogram``.

    Meant for labels shifted by an origin (the songs' years minus the earliest year): the bottom
    axis counts years since ``origin`` and names it, and a top axis shows the calendar year.

    Args:
        edges: the bin edges in label units (years since ``origin``), ascending, shape ``(k + 1,)``.
        counts: the number of points in each bin, shape ``(k,)``.
        origin: the calendar year that label 0 stands for.
        ax: the axes to draw on; a new figure when None.

    Returns:
        the axes (one bar per bin in ``ax.patches``).
    """
    edges, counts = np.asarray(edges, float), np.asarray(counts)
    if edges.ndim != 1 or counts.shape != (len(edges) - 1,):
        raise ValueError(f"need k + 1 edges for k counts, not {edges.shape} edges for "
                         f"{counts.shape} counts")
    if np.any(np.diff(edges) <= 0):
        raise ValueError("the bin edges must increase")
    ax = _axes(ax)
    ax.bar(edges[:-1], counts, width=np.diff(edges), align="edge", edgecolor="white")
    ax.set(xlabel=f"label: years since {origin:.0f} (the earliest song)", ylabel="songs",
           xlim=(edges[0], edges[-1]))
    top = ax.secondary_xaxis("top", functions=(lambda x: x + origin, lambda x: x - origin))
    top.set_xlabel("release year")
    ax.grid(True, axis="y", alpha=0.3)
    return ax


def plot_feature_heatmap(features, labels, *, label_name: str = "release year",
                         value_label: str = "feature value (scaled to [0, 1])", ticks: int = 8,
                         ax=None):
    """Heat map of a sample of points: one row per point, sorted by label, one column per feature.

    The rows are the points in order of increasing label (the smallest at the top), so a feature
    that changes with the label shows as a column whose colour drifts from top to bottom. The
    left axis names the label of some rows.

    Args:
        features: the sample's features, shape ``(m, d)``: m points (rows), d features.
        labels: their labels, shape ``(m,)``, in the units ``label_name`` says.
        label_name: what a label is, for the left axis (``"release year"``).
        value_label: what the colour shows, for the colour bar.
        ticks: about how many rows get their label written on the left axis.
        ax: the axes to draw on; a new figure when None.

    Returns:
        the axes (the image is ``ax.images[0]``; its array is ``features`` sorted by label).
    """
    features, labels = np.asarray(features, float), np.asarray(labels, float)
    if features.ndim != 2 or labels.shape != (features.shape[0],):
        raise ValueError(f"need features of shape (m, d) and m labels, not {features.shape} "
                         f"and {labels.shape}")
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots(figsize=(6, 5))
    order = np.argsort(labels, kind="stable")
    m, d = features.shape
    image = ax.imshow(features[order], aspect="auto", cmap="viridis", interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, label=value_label)
    ax.set_xticks(np.arange(d), [str(j + 1) for j in range(d)])
    rows = np.unique(np.linspace(0, m - 1, min(ticks, m)).round().astype(int))
    ax.set_yticks(rows, [f"{labels[order][r]:.0f}" for r in rows])
    ax.set(xlabel="feature (timbre average), numbered from 1",
           ylabel=f"{m} sampled songs, by {label_name}")
    return ax


def plot_grid_heatmap(errors, rows, columns, *, row_label: str, column_label: str,
                      value_label: str = "validation RMSE (years)", title: str = "", ax=None):
    """Heat map of a hyperparameter grid, each cell written with its value and the best one boxed.

    The colours run from the smallest value to 10% above it; larger values get the darkest colour
    (their numbers still say how large), so one poor corner of the grid does not flatten the
    differences near the best cell.

    Args:
        errors: shape ``(len(rows), len(columns))``; ``errors[i, j]`` belongs to ``rows[i]`` and
            ``columns[j]``. Cells that are not finite are drawn blank.
        rows, columns: the hyperparameter values of the grid's two axes, as they are labelled.
        row_label, column_label, value_label, title: the axes' names, the colour bar's, the title.
        ax: the axes to draw on; a new figure when None.

    Returns:
        the axes (the image is ``ax.images[0]``; the box is on the smallest finite value).
    """
    errors = np.asarray(errors, float)
    if errors.shape != (len(rows), len(columns)):
        raise ValueError(f"need errors of shape ({len(rows)}, {len(columns)}), not {errors.shape}")
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots(figsize=(1.0 + 0.9 * len(columns), 0.8 + 0.45 * len(rows)))
    shown = np.where(np.isfinite(errors), errors, np.nan)
    finite = shown[np.isfinite(shown)]
    low = finite.min() if finite.size else 0.0
    high = min(finite.max(), 1.1 * low) if finite.size else 1.0
    high = high if high > low else low + 1.0
    image = ax.imshow(shown, aspect="auto", cmap="viridis_r", interpolation="nearest",
                      vmin=low, vmax=high)
    ax.figure.colorbar(image, ax=ax, label=value_label, extend="max" if finite.size and
                       finite.max() > high else "neither")
    for (i, j), value in np.ndenumerate(shown):
        if np.isfinite(value):
            dark = (value - low) / (high - low) > 0.5
            ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7,
                    color="white" if dark else "black")
    if finite.size:
        from matplotlib.patches import Rectangle
        i, j = np.unravel_index(np.nanargmin(shown), shown.shape)
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="red", linewidth=2))
    ax.set_xticks(np.arange(len(columns)), [str(c) for c in columns])
    ax.set_yticks(np.arange(len(rows)), [str(r) for r in rows])
    ax.set(xlabel=column_label, ylabel=row_label, title=title)
    return ax
