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


def test_text_inside_a_bar_reads_at_4_5_to_1():
    for colour in theme.LIKERT_COLORS.values():
        assert contrast(theme.text_on(colour), colour) >= 4.5, colour


def test_neighbouring_likert_answers_differ_in_lightness():
    # 普通 (grey) and 滿意 (blue) were 1.01:1 apart: told apart by hue alone
    answers = [theme.LIKERT_COLORS[a] for a in range(1, 6)]
    assert all(contrast(a, b) >= 1.5 for a, b in zip(answers[2:], answers[3:]))


def test_a_wrapped_name_fits_and_reads_as_written():
    name = "Openness and innovation｜Growth and optimisation"
    lines = theme.wrap(name, 200)
    assert len(lines) > 1 and "".join(lines) == name
    assert all(theme.text_px(line.rstrip(), theme.LABEL_SIZE) <= 200 for line in lines)
    chinese = "基礎服務｜服務一致及正確性" * 3
    lines = theme.wrap(chinese)
    assert "".join(lines) == chinese and len(lines) == 2
    assert all(theme.text_px(line, theme.LABEL_SIZE) <= theme.NARROWEST_PLOT for line in lines)


@pytest.mark.parametrize("low, high, expected", [
    (0.86, 1.01, [0.9, 0.95, 1.0]),            # a dot plot's range: two ticks at least (it printed 90% alone)
    (0.0, 1.18, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),   # none past 100 %
    (0.97, 1.0, [0.97, 0.98, 0.99, 1.0]),
])
def test_share_ticks(low, high, expected):
    assert theme.share_ticks(low, high) == pytest.approx(expected)


def test_time_labels_fit_a_phone_on_calendar_boundaries():
    months = [(y, m) for y in range(2020, 2025) for m in range(1, 13)]
    labels = [f"{y - 1911}/{m:02d}" for y, m in months]
    keys = [y * 12 + m - 1 for y, m in months]
    years = [f"{y - 1911}年" for y, _ in months]
    shown, texts = theme.spaced_labels(labels, keys, (1, 2, 3, 6, 12, 24), coarse=years, coarse_from=12)
    assert texts == ["109年", "110年", "111年", "112年", "113年"]       # each January, as its year
    gap = (theme.NARROWEST_PLOT - max(theme.text_px(t, theme.TICK_SIZE) for t in texts)) / len(labels) * 12
    assert gap >= max(theme.text_px(t, theme.TICK_SIZE) for t in texts)
    one_year = theme.spaced_labels(labels[-12:], keys[-12:], (1, 2, 3, 6, 12), coarse=years[-12:], coarse_from=12)
    assert one_year[1] == ["113/01", "113/04", "113/07", "113/10"]
    # never a single label: the first and the last where nothing else fits
    assert theme.spaced_labels(["甲乙丙丁戊己庚辛壬癸" * 2] * 3, [0, 1, 2], (1,))[0] == [0, 2]


def test_focus_rings_are_drawn_in_the_charts_accent_at_3_to_1():
    """ui/a11y.py writes the accent out (its first element loads no chart library): the
    same colour, and a focus ring of it stands out from the page and the sidebar."""
    from ui import a11y
    assert a11y.ACCENT == theme.ACCENT
    assert theme.contrast(a11y.ACCENT, "#ffffff") >= 3 and theme.contrast(a11y.ACCENT, "#f3f5f8") >= 3


@pytest.mark.parametrize("value, x_range, reads", [(0.95, [0, 1.18], "right"), (0.1, [0, 1.18], "left"),
                                                   (4.0, None, "right"), (1.5, None, "left")])
def test_a_reference_line_drawn_with_the_bars_is_the_line_drawn_after_them(value, x_range, reads):
    """bars(reference=…) puts the dashed line and its label in the bars' one assignment
    of annotations (a figure of 40 units took 1.7 s when each was added on its own);
    the chart is the same as with theme.reference_line afterwards, and the label runs
    away from the nearer edge, so it is never cut."""
    import json

    from ui import figures
    values = [0.2, 0.5, 0.9] if x_range else [1, 2, 5]
    series = [figures.Series("件數", values, theme.ACCENT, text=[str(v) for v in values])]
    after = theme.reference_line(figures.bars(["甲", "乙", "丙"], series, x_range=x_range), value, "平均")
    with_bars = figures.bars(["甲", "乙", "丙"], series, x_range=x_range, reference=(value, "平均"))
    assert json.dumps(with_bars.to_plotly_json(), sort_keys=True, default=str) == \
        json.dumps(after.to_plotly_json(), sort_keys=True, default=str)
    label = next(a for a in with_bars.layout.annotations if a.text == "平均")
    assert label.xanchor == reads and with_bars.layout.shapes[0].x0 == value


def test_a_reference_line_crosses_every_small_multiple():
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots
    fig = make_subplots(rows=2, cols=1)
    fig.add_trace(go.Bar(x=[1, 3], y=["甲", "乙"], orientation="h"), row=1, col=1)
    fig.add_trace(go.Bar(x=[2, 4], y=["甲", "乙"], orientation="h"), row=2, col=1)
    theme.reference_line(fig, 2.5, "平均")
    assert len(fig.layout.shapes) == 2 and {s.x0 for s in fig.layout.shapes} == {2.5}
    assert [a.text for a in fig.layout.annotations].count("平均") == 1
