"""How years, months and quarters are written: ROC (民國) by default."""
from __future__ import annotations

import datetime as dt
import re

from .i18n import t

ROC = 1911


def year_label(year: int, lang: str = "zh", gregorian: bool = False) -> str:
    return t("year.gregorian", lang, year=year) if gregorian else t("year.roc", lang, roc=year - ROC, year=year)


def year_short(year: int, gregorian: bool = False) -> str:
    return str(year) if gregorian else str(year - ROC)


def month_label(month, gregorian: bool = False) -> str:
    if not isinstance(month, dt.date):
        month = month.date()
    return f"{month.year}-{month.month:02d}" if gregorian else f"{month.year - ROC}/{month.month:02d}"


def date_label(day, gregorian: bool = False) -> str:
    """A date as the app writes it: 110/07/17 (ROC) or 2021-07-17."""
    if not isinstance(day, dt.date):
        day = day.date()
    elif isinstance(day, dt.datetime):
        day = day.date()
    return day.isoformat() if gregorian else f"{day.year - ROC}/{day.month:02d}/{day.day:02d}"


# What the import history records when no person's name is known: the first start's
# sample load, an import in open mode with no name given, a signed-in editor who gave none.
_UNNAMED = {"system": "user.system", "app": "user.open", "editor": "user.editor"}


def user_label(user, lang: str = "zh") -> str:
    """Who imported, as the history shows it: the name recorded, or in words who it was
    when no name is known (never the bare "system")."""
    if user is None or not str(user).strip():
        return t("user.unknown", lang)
    return t(_UNNAMED[user], lang) if user in _UNNAMED else str(user)


def year_tick(year: int, lang: str = "zh", gregorian: bool = False) -> str:
    """A year as a chart's axis prints it where the labels are a year apart: 110年 /
    2021年; ROC 110 / 2021 in English."""
    return t("tick.year_gregorian" if gregorian else "tick.year_roc", lang, roc=year - ROC, year=year)


def quarter_label(period: int, lang: str = "zh", gregorian: bool = False) -> str:
    """20213 → 110年第3季 (2021年第3季); in English 110 Q3 (2021 Q3)."""
    year, quarter = divmod(int(period), 10)
    return t("tick.quarter", lang, year=year_short(year, gregorian), quarter=quarter)


_ROUND = re.compile(r"^(?:民國)?\s*(\d{2,3})\s*年(?:度)?\s*第\s*(\d+)\s*(?:次|梯次?|期)$")


def round_label(code: str, lang: str = "zh") -> str:
    """Test rounds made from the half-year ('110-H1') are said in words; a round
    written '110年第1次' is said in English too; other names as written."""
    if isinstance(code, str) and code[-3:] in ("-H1", "-H2"):
        return t("round.h1" if code.endswith("H1") else "round.h2", lang, roc=code[:-3])
    m = _ROUND.match(code) if isinstance(code, str) and lang == "en" else None
    return t("round.numbered", lang, roc=m[1], n=m[2]) if m else code


# Names that come from the branch's sheets, said in English where the dashboard knows
# them (dimensions, sub-items, phone items, survey items, units, offices, test types,
# respondent types, channels, the seed's case types). Anything else is shown as
# written: a sheet's own words are data, not translated guesses.
DATA_EN = {
    # the five dimensions of the Government Service Award, and the seed's sub-items
    "基礎服務": "Basic service", "服務遞送": "Service delivery", "服務量能": "Service capacity",
    "服務評價": "Service evaluation", "開放創新": "Openness and innovation",
    "服務一致及正確性": "Consistency and accuracy", "服務友善性": "Friendliness", "服務便捷性": "Convenience",
    "服務可近性": "Accessibility", "服務成長及優化": "Growth and optimisation", "內部作業簡化": "Simpler internal work",
    "服務機制精進": "Better service mechanisms", "提高服務滿意度": "Higher satisfaction",
    "積極回應民眾意見": "Responding to the public", "開放參與": "Open participation", "創新服務": "Innovative services",
    # phone-courtesy items and test types
    "接聽速度": "Answer speed", "問候及自報單位": "Greeting and naming the unit", "態度語氣": "Tone and attitude",
    "回答專業正確": "Accurate answers", "轉接留言處理": "Transfers and messages", "結束禮貌": "Courteous close",
    "內部測試": "Internal test", "跨分局互測": "Cross-branch test",
    # survey items
    "洽辦業務項目": "Business item", "服務內容": "Service content", "洽公環境": "Environment",
    "服務設備": "Equipment", "人員禮貌及服務態度": "Staff courtesy", "整體滿意度": "Overall",
    # units and offices
    "第一課": "Section 1", "第二課": "Section 2", "第三課": "Section 3", "第四課": "Section 4", "第五課": "Section 5",
    "第六課": "Section 6", "人事室": "Personnel Office", "政風室": "Ethics Office", "主計室": "Accounting Office",
    "秘書室": "Secretariat", "資訊室": "IT Office", "嘉義辦事處": "Chiayi Office", "斗六辦事處": "Douliu Office",
    "臺南分局": "Tainan Branch", "高雄分局": "Kaohsiung Branch",
    # respondent types and channels
    "民眾": "Member of the public", "業者": "Business", "代辦業者": "Agent", "線上": "Online", "臨櫃": "Counter",
    "傳真": "Fax", "電郵": "E-mail",
    # the seed's case types
    "線上申辦": "Online applications", "傳真電郵送件": "Fax and e-mail submissions",
    "系統傳送紀錄表": "Lab records sent by system", "免印紙本送件": "Paperless submissions",
    "量桶檢定": "Measuring-bucket verification", "教育訓練": "Training sessions",
    "義務監視員反映": "Volunteer monitor reports", "檢舉申訴": "Complaints", "行動支付": "Mobile payments",
    "重新檢定通知": "Re-verification notices", "計量免費檢測": "Free measurement checks",
    "其他": "Other",
}


def data_label(value, lang: str = "zh"):
    """A name from the data as the reader's language says it (itself if unknown)."""
    if lang == "en" and isinstance(value, str):
        return DATA_EN.get(value, value)
    return value
