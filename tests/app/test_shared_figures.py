"""Figures kept between reruns (ui.figures.shared): a rerun, another session or the
other language draws exactly what a fresh build would; nothing changes a kept figure
after it is handed out; a name from a file is escaped once, however often it is drawn."""
import json

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from markup import raw_markup
from ui import figures, theme
from ui.registry import PAGES
from ui.text import safe_figure


def specs(at) -> list[str]:
    return [c.proto.spec for c in at.get("plotly_chart")]


def opened(path: str, lang: str = "zh") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    if path != PAGES[0].path:
        at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", [p.path for p in PAGES if p.charts])
def test_a_rerun_another_session_and_the_other_language_draw_what_a_fresh_build_draws(sample_db, page, monkeypatch):
    """Each page drawn with nothing kept, then again (a rerun), in a second session, in
    English and in Chinese once more: every chart is the same as the first time, so no
    kept figure was changed after it was handed out and no language leaks into the other."""
    from ui import behaviour
    monkeypatch.setattr(figures, "_SHARED", type(figures._SHARED)())
    monkeypatch.setattr(behaviour, "_DRAWN", {})
    first = opened(page)
    fresh = specs(first)
    assert fresh and (figures._SHARED or behaviour._DRAWN), "the page draws kept figures"
    first.run()
    assert specs(first) == fresh
    english = specs(opened(page, "en"))
    assert len(english) == len(fresh)
    assert not [i for i, (e, z) in enumerate(zip(english, fresh)) if e == z], "a chart drawn in the other language"
    assert specs(opened(page)) == fresh
    assert specs(opened(page, "en")) == english
    kept = [*figures._SHARED.values(), *(fig for _, fig, _ in behaviour._DRAWN.values())]
    assert all(isinstance(fig, figures.KeptFigure) for fig in kept)
    assert not [fig for fig in kept if fig.changed_since_kept()], "a kept figure was changed after it was handed out"


def _series(values=(1, 2)):
    return [figures.Series("本年", list(values), theme.ACCENT, text=[str(v) for v in values])]


def test_the_same_arguments_give_the_kept_figure_and_other_arguments_their_own(monkeypatch):
    monkeypatch.setattr(figures, "_SHARED", type(figures._SHARED)())
    one = figures.shared(figures.bars, ["甲", "乙"], _series(), x_title="件數")
    assert figures.shared(figures.bars, ["甲", "乙"], _series(), x_title="件數") is one
    others = [figures.shared(figures.bars, ["甲", "丙"], _series(), x_title="件數"),
              figures.shared(figures.bars, ["甲", "乙"], _series((1, 3)), x_title="件數"),
              figures.shared(figures.bars, ["甲", "乙"], _series(), x_title="Cases"),
              figures.shared(figures.dots, ["甲", "乙"], _series(), x_title="件數")]
    assert all(o is not one for o in others)
    built = safe_figure(figures.bars(["甲", "乙"], _series(), x_title="件數"))
    assert json.dumps(one.to_plotly_json(), sort_keys=True, default=str) == \
        json.dumps(built.to_plotly_json(), sort_keys=True, default=str)


def test_a_kept_figure_is_escaped_once_however_often_it_is_drawn(monkeypatch):
    monkeypatch.setattr(figures, "_SHARED", type(figures._SHARED)())
    name = "<b>第一課</b>"
    fig = figures.shared(figures.bars, [name, "乙"], _series())
    again = safe_figure(figures.shared(figures.bars, [name, "乙"], _series()))
    text = json.dumps(again.to_plotly_json(), ensure_ascii=False, default=str)
    assert not raw_markup(text)
    assert "&lt;b&gt;第一課&lt;/b&gt;" in text and "&amp;lt;" not in text
    assert again is fig


def test_the_least_recently_used_figure_goes_first(monkeypatch):
    monkeypatch.setattr(figures, "_SHARED", type(figures._SHARED)())
    monkeypatch.setattr(figures, "SHARED_FIGURES", 2)
    a = figures.shared(figures.bars, ["甲"], _series((1,)))
    b = figures.shared(figures.bars, ["乙"], _series((1,)))
    assert figures.shared(figures.bars, ["甲"], _series((1,))) is a     # 甲 used last: 乙 goes next
    figures.shared(figures.bars, ["丙"], _series((1,)))
    assert len(figures._SHARED) == 2
    assert figures.shared(figures.bars, ["甲"], _series((1,))) is a
    assert figures.shared(figures.bars, ["乙"], _series((1,))) is not b


def test_arguments_that_cannot_be_kept_build_a_new_figure_each_time(monkeypatch):
    monkeypatch.setattr(figures, "_SHARED", type(figures._SHARED)())

    class Names(list):          # a class of a function's own cannot be pickled: no key
        pass

    one = figures.shared(figures.bars, Names(["甲", "乙"]), _series())
    assert figures.shared(figures.bars, Names(["甲", "乙"]), _series()) is not one
    assert not figures._SHARED
    assert "甲" in json.dumps(one.to_plotly_json(), ensure_ascii=False, default=str)


def test_only_the_modules_own_builders_are_kept():
    """A closure's name does not tell it from another (two with different titles would
    share one figure): shared refuses anything but bars and dots."""
    with pytest.raises(TypeError):
        figures.shared(lambda names, series: figures.bars(names, series, x_title="件數"), ["甲"], _series((1,)))


def test_a_copy_of_a_kept_figure_is_a_figure_of_its_own_and_leaves_the_kept_one_as_it_was():
    import copy
    import pickle
    fig = figures.keep(safe_figure(figures.bars(["甲", "乙"], _series())))
    plain = json.dumps(fig.to_dict(), sort_keys=True)
    for other in (copy.deepcopy(fig), pickle.loads(pickle.dumps(fig))):
        assert not isinstance(other, figures.KeptFigure)
        other.update_layout(title_text="改過的副本")
        assert other.layout.title.text == "改過的副本"
    assert json.dumps(fig.to_dict(), sort_keys=True) == plain and not fig.changed_since_kept()


@pytest.mark.parametrize("value, reads", [(0.95, "right"), (0.4, "left")])
def test_a_reference_line_drawn_with_the_dots_is_the_line_drawn_after_them(value, reads):
    """dots(reference=…) draws what theme.reference_line drew on the dots afterwards (the
    satisfaction groups' overall rate), in the figure's one assignment of annotations."""
    series = [figures.Series("滿意度", [0.5, 0.9], theme.ACCENT, text=["50%", "90%"])]
    after = theme.reference_line(figures.dots(["甲", "乙"], series, percent=True, x_range=[0.3, 1.01]), value, "整體")
    with_dots = figures.dots(["甲", "乙"], series, percent=True, x_range=[0.3, 1.01], reference=(value, "整體"))
    assert json.dumps(with_dots.to_plotly_json(), sort_keys=True, default=str) == \
        json.dumps(after.to_plotly_json(), sort_keys=True, default=str)
    label = next(a for a in with_dots.layout.annotations if a.text == "整體")
    assert label.xanchor == reads and with_dots.layout.shapes[0].x0 == value


def test_bars_draw_the_zero_line_they_are_asked_for():
    fig = figures.bars(["甲", "乙"], _series((-1, 2)), x_range=[-4, 4], zeroline=True)
    assert fig.layout.xaxis.zeroline is True and fig.layout.xaxis.zerolinecolor == theme.MUTED_TEXT
    assert not figures.bars(["甲", "乙"], _series((-1, 2)), x_range=[-4, 4]).layout.xaxis.zeroline


def test_a_kept_figure_hands_out_its_plain_form_made_once_and_notices_a_change():
    fig = figures.keep(safe_figure(figures.bars(["甲", "乙"], _series())))
    plain = fig.to_dict()
    assert fig.to_dict() is plain
    assert plain == figures.go.Figure.to_dict(fig) and not fig.changed_since_kept()
    fig.update_layout(title_text="後來加的")
    assert fig.changed_since_kept()
