"""helpers.plotting: the figures show what their docstrings say (no Spark, Agg backend)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plotting  # noqa: E402

pytestmark = pytest.mark.quick


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _colorbar_label(ax) -> str:
    """The label of the colour bar drawn beside ``ax`` (the figure's other axes)."""
    others = [a for a in ax.figure.axes if a is not ax]
    assert len(others) == 1, f"expected one colour bar, found {len(others)} other axes"
    return others[0].get_ylabel()


def test_heatmap_rows_are_the_points_sorted_by_label():
    # Five points, three features, given out of label order; each row is distinct, so a
    # transposed image, an unsorted one, a descending one or one that sorted the labels but
    # not the rows all differ from the expected array.
    labels = np.array([30.0, 10.0, 50.0, 20.0, 40.0])
    features = np.array([[3, 0.3, 0.03], [1, 0.1, 0.01], [5, 0.5, 0.05],
                         [2, 0.2, 0.02], [4, 0.4, 0.04]], dtype=float)
    ax = plotting.plot_feature_heatmap(features, labels, ticks=5)
    shown = np.asarray(ax.images[0].get_array())
    assert shown.shape == (5, 3), "rows must be the points, columns the features"
    np.testing.assert_array_equal(shown, features[np.argsort(labels)])
    # The first row is drawn at the top: the smallest label is the top row's.
    assert ax.yaxis_inverted()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["10", "20", "30", "40", "50"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3"]
    assert "feature value" in _colorbar_label(ax)


def test_heatmap_rejects_labels_that_do_not_match_the_rows():
    with pytest.raises(ValueError, match="m labels"):
        plotting.plot_feature_heatmap(np.zeros((4, 3)), np.zeros(3))


def test_predictions_are_coloured_by_their_absolute_error():
    labels = np.array([10.0, 20.0, 30.0, 40.0])
    predictions = np.array([14.0, 17.0, 30.5, 25.0])  # errors +4, -3, +0.5, -15
    ax = plotting.plot_predictions(labels, predictions, units="years since 1922",
                                   error_units="years")
    points = ax.collections[0]
    np.testing.assert_array_equal(points.get_offsets(), np.c_[labels, predictions])
    # |prediction − label| of each point, in the points' order: not the signed error, not sorted
    np.testing.assert_allclose(points.get_array(), [4.0, 3.0, 0.5, 15.0])
    assert _colorbar_label(ax) == "absolute error (years)"
    assert ax.get_xlabel() == "actual (years since 1922)"
    assert ax.get_ylabel() == "predicted (years since 1922)"


def test_predictions_reject_vectors_of_different_lengths():
    with pytest.raises(ValueError, match="same length"):
        plotting.plot_predictions([1.0, 2.0], [1.0, 2.0, 3.0])


def test_label_histogram_draws_one_bar_per_bin_and_names_the_origin():
    edges, counts = [0, 5, 10, 15], [2, 7, 1]
    ax = plotting.plot_label_histogram(edges, counts, origin=1922)
    bars = ax.patches
    assert [b.get_height() for b in bars] == counts
    assert [b.get_x() for b in bars] == edges[:-1]
    assert [b.get_width() for b in bars] == [5, 5, 5]
    assert "1922" in ax.get_xlabel()
    assert ax.get_ylabel() == "songs"
    # The top axis shows calendar years: label 0 is the origin.
    ax.figure.canvas.draw()  # the secondary axis takes its limits when drawn
    top = ax.child_axes[0]
    assert top.get_xlabel() == "release year"
    assert top.get_xlim() == (1922.0, 1937.0)


def test_label_histogram_rejects_mismatched_edges():
    with pytest.raises(ValueError, match="k \\+ 1 edges"):
        plotting.plot_label_histogram([0, 5, 10], [1, 2, 3], origin=0)


def test_grid_heatmap_boxes_the_best_cell_and_writes_every_value():
    errors = np.array([[3.0, 2.0, 9.0], [1.5, np.inf, 4.0]])
    ax = plotting.plot_grid_heatmap(errors, [0.0, 1.0], [10, 30, 100], row_label="λ",
                                    column_label="steps", title="t")
    box = [p for p in ax.patches if p.get_edgecolor()[:3] == (1.0, 0.0, 0.0)]
    assert len(box) == 1 and box[0].get_xy() == (-0.5, 0.5)  # row 1, column 0: the 1.5
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["1.50", "2.00", "3.00", "4.00", "9.00"]  # the infinite cell is left blank
    low, high = ax.images[0].get_clim()
    assert (low, high) == (1.5, 1.5 * 1.1)  # 9.0 saturates instead of stretching the scale
    assert [t.get_text() for t in ax.get_xticklabels()] == ["10", "30", "100"]
    assert _colorbar_label(ax) == "validation RMSE (years)"


def test_grid_heatmap_rejects_a_grid_of_another_shape():
    with pytest.raises(ValueError, match=r"shape \(2, 3\)"):
        plotting.plot_grid_heatmap(np.zeros((3, 2)), [1, 2], [1, 2, 3], row_label="a",
                                   column_label="b")
