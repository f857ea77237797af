"""What is wrong with a file, said in the user's language."""
from __future__ import annotations

from dataclasses import dataclass, field

from .i18n import t
from .normalize import show_invisible

SHOWN = 20       # problems listed in a message
KEPT = 1000      # problems kept per file; the rest are only counted


@dataclass(frozen=True)
class Problem:
    code: str
    params: dict = field(default_factory=dict)
    sheet: str | None = None
    row: int | None = None          # Excel row number, 1-based
    column: str | None = None       # Excel column letter
    header: str | None = None       # the header as written in the sheet
    value: object = None

    def render(self, lang: str = "zh") -> str:
        reason = t(self.code, lang, **self.params)
        where = []
        if self.sheet is not None:
            where.append(t("where.sheet", lang, sheet=show_invisible(self.sheet)))
        if self.row is not None:
            where.append(t("where.row", lang, row=self.row))
        if self.column is not None:
            where.append(t("where.column", lang, column=self.column, header=show_invisible(self.header or "")))
        text = t("where.join", lang).join(where)
        if self.value is not None:
            reason = t("where.value", lang, value=_show(self.value)) + reason
        return f"{text}{t('where.colon', lang)}{reason}" if text else reason


def _show(value) -> str:
    """A cell's value as a message quotes it: at most 40 characters, and a control, bidi
    or zero-width character written as its code, so the reader can find it (and it
    cannot reorder the message around it)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    text = text if len(text) <= 40 else text[:37] + "…"
    return show_invisible(text)


class Problems:
    """Collects problems up to KEPT, counting the rest."""

    def __init__(self):
        self.items: list[Problem] = []
        self.total = 0

    def add(self, problem: Problem):
        self.total += 1
        if len(self.items) < KEPT:
            self.items.append(problem)

    def __bool__(self):
        return self.total > 0

    def __len__(self):
        return self.total


class Refusal(Exception):
    """Something asked of the dashboard that it will not do, having changed nothing:
    a file not imported, an undo or a restore refused. ``message(lang)`` says why in
    the user's language; pages and the command line show it as it is."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(code)

    def message(self, lang: str = "zh") -> str:
        return t(self.code, lang, **self.params)


class Refused(Refusal):
    """A file that is not imported, with every reason."""

    def __init__(self, file: str, problems: list[Problem], total: int | None = None):
        self.file = file
        self.problems = problems
        self.total = total if total is not None else len(problems)
        self.code, self.params = "refused.head", {"file": file, "count": self.total}
        Exception.__init__(self, self.render("zh"))

    def message(self, lang: str = "zh") -> str:
        return self.render(lang)

    @classmethod
    def one(cls, file: str, code: str, **params):
        return cls(file, [Problem(code, params)])

    def lines(self, lang: str = "zh", shown: int = SHOWN) -> list[str]:
        """The message line by line: a line break inside a file name or cell value
        stays inside its line (a terminal shows it escaped, see ``safe_text``)."""
        lines = [t("refused.head", lang, file=show_invisible(self.file), count=self.total)]
        lines += [f"  - {p.render(lang)}" for p in self.problems[:shown]]
        rest = self.total - min(shown, len(self.problems))
        if rest > 0:
            lines.append("  " + t("refused.more", lang, count=rest))
        lines.append(t("refused.nothing_written", lang))
        return lines

    def render(self, lang: str = "zh", shown: int = SHOWN) -> str:
        return "\n".join(self.lines(lang, shown))
