"""One visual language for every figure and for the browser app.

The palette is Okabe and Ito's (2008) colour-blind-safe set, the one recommended by Wong (2011,
Nature Methods 8: 441, "Points of view: Color blindness"). A comparison fixes one colour per
variant, in the order the variants were named, and every figure of that comparison (and the
browser page) uses :func:`variant_colors` so the same variant has the same colour everywhere.

Roles (member, partner, adversary, neutral) have their own fixed colours and markers, distinct
from the variant colours' first two entries, so a network drawn beside a time series does not
suggest a variant by its node colour.
"""

from __future__ import annotations

from collections.abc import Sequence

from cycler import cycler

# Okabe-Ito, in the order that keeps the first pairs most distinct (blue, vermillion, green ...).
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)

# role -> (colour, matplotlib marker)
ROLE_STYLE: dict[str, tuple[str, str]] = {
    "member": ("#0072B2", "o"),
    "partner": ("#009E73", "s"),
    "adversary": ("#C00000", "^"),
    "neutral": ("#8C8C8C", "D"),
}

PNG_DPI = 300
CAPTION_PT = 8.0
BASE_PT = 9.0


def variant_colors(variants: Sequence[str]) -> dict[str, str]:
    """Map each variant name to a palette colour, in the order given (cycling past eight).

    The first variant (the reference of a comparison) is always blue, the second vermillion;
    a name that appears twice keeps its first colour.
    """
    colors: dict[str, str] = {}
    for name in variants:
        if name not in colors:
            colors[name] = PALETTE[len(colors) % len(PALETTE)]
    return colors


def rc_params() -> dict[str, object]:
    """Matplotlib settings for publication figures (use with ``matplotlib.rc_context``)."""
    return {
        "font.size": BASE_PT,
        "axes.titlesize": BASE_PT + 1,
        "axes.labelsize": BASE_PT,
        "xtick.labelsize": BASE_PT - 1,
        "ytick.labelsize": BASE_PT - 1,
        "legend.fontsize": BASE_PT - 1,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=list(PALETTE)),
        "savefig.dpi": PNG_DPI,
        "svg.fonttype": "none",
        "figure.dpi": 100,
        "pdf.fonttype": 42,
    }


# ------------------------------------------------------------------ sizes
# A journal's full text width is about 180 mm (7.1 in; Nature 183 mm, Elsevier 190 mm) and a
# page about 240 mm high. Figures are laid out within these; a saved image (caption included,
# which ``bbox_inches="tight"`` adds below) stays within MAX_IMAGE_IN.
PAGE_WIDTH_IN = 7.2
PAGE_HEIGHT_IN = 9.0
MAX_IMAGE_IN = (7.6, 10.0)
"""Largest saved image, inches (width, height): 2280 x 3000 px at :data:`PNG_DPI`."""
MAX_COLUMNS = 2
"""Small multiples wrap after this many panels in a row."""
MAX_PANELS = 8
"""Panels per figure; more variants go to further pages (``name_p2`` ...)."""


def grid_shape(panels: int, max_columns: int = MAX_COLUMNS) -> tuple[int, int]:
    """``(rows, columns)`` of a wrapped grid of ``panels`` small multiples."""
    columns = max(1, min(panels, max_columns))
    return -(-panels // columns), columns


def panel_size(
    rows: int, columns: int, panel_height: float, width: float = PAGE_WIDTH_IN
) -> tuple[float, float]:
    """Figure size (inches) of a ``rows x columns`` grid: full width, height capped at a page."""
    return width, min(PAGE_HEIGHT_IN, rows * panel_height + 0.6)


def pages(items: Sequence[str], per_page: int = MAX_PANELS) -> list[list[str]]:
    """Split ``items`` into pages of at most ``per_page`` (one page if it is empty)."""
    items = list(items)
    return [items[k : k + per_page] for k in range(0, len(items), per_page)] or [[]]
