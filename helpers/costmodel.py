"""The lecture's cost models, as numbers to print and plot beside measurements.

Counts are of floating-point operations (multiply-adds counted once) and of 8-byte floats, to
leading order, as on the slides.
"""

from __future__ import annotations

__all__ = ["closed_form_cost", "gradient_descent_cost", "human_bytes"]


def closed_form_cost(n: int, d: int) -> dict:
    """Cost of least squares in closed form, ``w = (XᵀX)⁻¹Xᵀy``.

    Returns:
        dict with ``flops`` (n·d² for XᵀX plus d³ for the solve), ``floats`` stored (n·d for X,
        d² for XᵀX), and ``driver_floats`` (d² + d: what reaches the driver per partition).

    >>> closed_form_cost(1000, 10)
    {'flops': 101000, 'floats': 10100, 'driver_floats': 110}
    """
    return {"flops": n * d * d + d ** 3, "floats": n * d + d * d, "driver_floats": d * d + d}


def gradient_descent_cost(n: int, d: int, iterations: int = 1) -> dict:
    """Cost of ``iterations`` gradient-descent steps: O(nd) work and O(d) state per step.

    >>> gradient_descent_cost(1000, 10, iterations=5)
    {'flops': 50000, 'floats': 10010, 'driver_floats': 50}
    """
    return {"flops": n * d * iterations, "floats": n * d + d, "driver_floats": d * iterations}


def human_bytes(num: float) -> str:
    """Bytes as a short human-readable string.

    >>> human_bytes(512), human_bytes(8 * 10**6), human_bytes(3 * 2**40)
    ('512 B', '7.6 MiB', '3.0 TiB')
    """
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(num) < 1024:
            return f"{num:.0f} {unit}" if unit == "B" else f"{num:.1f} {unit}"
        num /= 1024
    return f"{num:.1f} TiB"
