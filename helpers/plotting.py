"""Presentation only: the plots the notebooks share, so notebooks keep to the lesson."""

from __future__ import annotations

import numpy as np

__all__ = ["plot_scaling", "plot_error_curve", "plot_error_curves", "plot_predictions"]


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


def plot_predictions(labels, predictions, *, units: str = "year", ax=None):
    """Predicted against actual values, with the diagonal of perfect predictions."""
    ax = _axes(ax)
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    ax.scatter(labels, predictions, s=6, alpha=0.4)
    lo, hi = labels.min(), labels.max()
    ax.plot([lo, hi], [lo, hi], "k--", lw=1, label="perfect prediction")
    ax.set(xlabel=f"actual ({units})", ylabel=f"predicted ({units})")
    ax.legend()
    return ax
