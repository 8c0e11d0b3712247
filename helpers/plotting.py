"""Presentation only: the plots the notebooks share, so notebooks keep to the lesson."""

from __future__ import annotations

import numpy as np

__all__ = ["plot_scaling", "plot_error_curve", "plot_predictions"]


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
