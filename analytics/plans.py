"""The plan's own words (sections 壹–參 and 伍–捌, the branch's name), from the year's
計畫內容 sheet, or while the sample is shown, from the sample's plan text. The report
prints them; the sample builder writes the sample's as a sheet (so this lives beside
the data, not in report/).

Why a sheet: the plan is rewritten every year (it cites that year's letters), so it
belongs with the year's data — imported, recorded, undone and withdrawn with the
sample like any other sheet, from a template the import page already offers — and
not in a setting that only an editor page could change. The sample's text is the
seed's ROC 110 plan, kept as data in ``analytics/plan/sample_110.json``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SAMPLE_PLAN = Path(__file__).resolve().parent / "plan" / "sample_110.json"
NUMERALS = "壹貳參肆伍陸柒捌玖拾"
STRATEGIES_AT = "肆"            # the section the 執行策略 tables fill
BRANCH_SECTION = "機關名稱"      # a 章節 whose 內容 is the branch's name
# The ministry's plan template: a 章節 given by its title alone finds its number here.
TITLES = {"計畫依據": "壹", "計畫目標": "貳", "實施對象": "參", "執行策略及具體推動作法": "肆", "實施步驟": "伍",
          "考核作業": "陸", "獎勵方式": "柒", "獎勵作業": "柒"}
_SECTION = re.compile(rf"^\s*([{NUMERALS}])\s*[、.:：,，]?\s*(.*)$")


@dataclass
class Section:
    number: str                  # 壹 … 捌, or '' where the sheet gave none
    title: str                   # 計畫依據; '' where the heading is the text (捌)
    paragraphs: list[str] = field(default_factory=list)

    @property
    def order(self) -> int:
        return NUMERALS.index(self.number) if self.number in NUMERALS else len(NUMERALS)


@dataclass
class Plan:
    branch: str
    sections: list[Section]
    from_sample: bool            # the bundled sample's text, not the branch's own

    def strategies_section(self) -> Section | None:
        return next((s for s in self.sections if s.number == STRATEGIES_AT), None)


@cache
def _sample() -> dict:
    return json.loads(SAMPLE_PLAN.read_text(encoding="utf-8"))


def default_branch() -> str:
    return _sample()["branch"]


def sample_plan() -> Plan:
    data = _sample()
    return Plan(data["branch"], [Section(s["number"], s["title"], list(s["paragraphs"])) for s in data["sections"]],
                from_sample=True)


def sample_rows() -> list[list]:
    """The sample's plan as rows of a 計畫內容 sheet (年度, 章節, 內容), for a workbook."""
    data = _sample()
    rows = [[data["year"], BRANCH_SECTION, data["branch"]]]
    for s in data["sections"]:
        heading = f"{s['number']}、{s['title']}" if s["title"] else s["number"]
        rows += [[data["year"], heading, text] for text in s["paragraphs"]]
    return rows


def split_heading(text: str) -> tuple[str, str]:
    """'壹、計畫依據' → ('壹', '計畫依據'); '計畫依據' → ('壹', '計畫依據'); '捌' → ('捌', '')."""
    text = text.strip()
    m = _SECTION.match(text)
    if m and (not m[2] or not m[2][0] in NUMERALS):
        return m[1], m[2].strip()
    return TITLES.get(text, ""), text


def stored_plan(con, year: int) -> Plan | None:
    """The year's 計畫內容 rows; each section as its newest import gave it (a corrected
    sheet with fewer paragraphs leaves none of the old ones behind)."""
    rows = con.execute("""
        SELECT section, text FROM plan_text p
        WHERE year = ? AND batch_id = (SELECT max(batch_id) FROM plan_text q WHERE q.year = p.year AND q.section = p.section)
        ORDER BY (SELECT min(batch_id) FROM plan_text q WHERE q.year = p.year AND q.section = p.section), position
        """, [year]).fetchall()
    if not rows:
        return None
    branch, sections = None, {}
    for heading, text in rows:
        if heading.replace(" ", "") == BRANCH_SECTION:
            branch = text
            continue
        sections.setdefault(heading, []).append(text)
    parsed = []
    for heading, paragraphs in sections.items():
        number, title = split_heading(heading)
        parsed.append(Section(number, title, paragraphs))
    parsed.sort(key=lambda s: s.order)      # stable: unnumbered sections keep their order, at the end
    return Plan(branch or default_branch(), parsed, from_sample=False)


def plan_for(con, year: int, sample_shown: bool) -> Plan | None:
    """The plan text the report prints: the year's own, else the sample's while the
    sample is shown, else none (the report says it is missing)."""
    own = stored_plan(con, year)
    if own is not None:
        return own
    return sample_plan() if sample_shown else None
