"""The chart palette keeps its promises: every mark at least 3:1
and every chart text at least 4.5:1 against the background (WCAG 2.1, 1.4.11 and
1.4.3), fixed categories with one colour each, and better/worse never by colour alone."""
import pytest

from analytics.datasets.dimension_scores import DEFAULT_DIMENSIONS
from analytics.definitions import TEST_TYPES
from ui import theme


def luminance(colour: str) -> float:
    """WCAG's relative luminance of an #rrggbb colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_by_known_pairs():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)   # the classic 4.5:1 grey


@pytest.mark.parametrize("colour", theme.MARKS)
def test_every_mark_stands_out_from_the_background(colour):
    assert contrast(colour, theme.BACKGROUND) >= 3, colour


@pytest.mark.parametrize("colour", theme.TEXTS)
def test_every_chart_text_is_readable(colour):
    assert contrast(colour, theme.BACKGROUND) >= 4.5, colour


def test_fixed_categories_have_a_colour_each():
    assert set(theme.DIMENSION_COLORS) == {name for name, _ in DEFAULT_DIMENSIONS}
    assert len(set(theme.DIMENSION_COLORS.values())) == 5
    assert set(theme.TEST_TYPE_COLORS) == set(TEST_TYPES) and len(set(theme.TEST_TYPE_COLORS.values())) == 2
    assert sorted(theme.LIKERT_COLORS) == [1, 2, 3, 4, 5]
    assert theme.ACCENT != theme.EARLIER


def test_better_and_worse_carry_a_mark_besides_their_colour():
    assert set(theme.VERDICT_MARKS) == set(theme.VERDICT_COLORS)
    assert len(set(theme.VERDICT_MARKS.values())) == len(theme.VERDICT_MARKS)


def test_charts_add_no_tab_stops_and_do_not_capture_a_swipe():
    assert theme.CONFIG["displayModeBar"] is False
    assert theme.TEMPLATE.layout.dragmode is False
