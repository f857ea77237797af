"""A phone's table cell: a figure kept with its unit and a year with its era, while
English words may still wrap (a targets table held "100.0% or more" on one line and ran
12 px past a 390 px screen in English)."""
import pytest

from ui.charts import joined

NBSP = "\u00a0"


@pytest.mark.parametrize("text, whole", [
    ("90.0% 以上", "90.0%\u00a0以上"),
    ("民國 113 年", "民國\u00a0113\u00a0年"),
    ("○ 達成", "○\u00a0達成"),
    ("Jan 2023", "Jan\u00a02023"),
])
def test_a_figure_stays_with_its_unit_and_a_year_with_its_era(text, whole):
    assert joined(text) == whole


@pytest.mark.parametrize("text, breaks", [
    ("90.0% or more", ["90.0%", "or", "more"]),
    ("ROC 113 (2024)", ["ROC\u00a0113", "(2024)"]),
    ("× not met", ["×\u00a0not", "met"]),
])
def test_english_words_may_still_wrap(text, breaks):
    assert joined(text).split(" ") == breaks


def test_a_long_text_is_left_to_wrap_as_it_is():
    text = "Complaints answered on time within the year"
    assert joined(text) == text and NBSP not in joined("一" * 40 + " 年")
