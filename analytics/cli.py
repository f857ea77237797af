"""The command line: ``python -m analytics
import|stats|history|undo|export|report|signals|backup|restore`` (``--help`` on each).

Exit codes: 0 done; 1 a file was refused or a request could not be met; 2 wrong
arguments (argparse); 70 an unexpected error (the message says what, no traceback);
75 the database was busy for longer than the wait. Nothing prints a traceback, and
nothing taken from a file, the database or the arguments reaches the terminal with its
control characters (``safe_text``): every line goes out through ``say``.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from . import importer, reader, scratch, store
from .datasets import DATASETS
from .i18n import default_lang, t
from .normalize import Bad, parse_year
from .problems import Refused
from .safe_text import terminal, terminal_json
from .units import canonical_office, canonical_unit

EXIT_OK, EXIT_REFUSED, EXIT_BUSY, EXIT_BUG = 0, 1, 75, 70


# export.FORMATS, written out here: importing ``export`` loads openpyxl (and PIL and
# lxml), which an import, the most frequent command, never needs, and argparse reads
# the choices when the parser is built. tests/unit/test_speed_guards.py keeps the two equal.
EXPORT_FORMATS = ("csv", "xlsx", "ods")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="DuckDB file (default data/dashboard.duckdb, or $DASHBOARD_DB)")
    common.add_argument("--lang", choices=("zh", "en"), default=None, help="message language (default zh)")
    parser = argparse.ArgumentParser(prog="python -m analytics", description="服務效能儀表板 command line")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("import", parents=[common], help="import workbooks (.xlsx .xls .ods .csv)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--user", help="who imports (default: the login name)")
    sub.add_parser("stats", parents=[common], help="figures per dataset and year, as JSON")
    p = sub.add_parser("history", parents=[common], help="the import batches")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("undo", parents=[common], help="undo one import batch")
    p.add_argument("batch_id", type=int, metavar="BATCH_ID")
    p = sub.add_parser("export", parents=[common], help="one dataset as csv, xlsx or ods")
    p.add_argument("dataset", choices=list(DATASETS), metavar="DATASET")
    p.add_argument("--year", help="2021 or ROC 110")
    p.add_argument("--unit", help="unit (or office, for the survey datasets)")
    p.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--names", action="store_true", help="phone_tests: staff names unmasked (personal data)")
    p = sub.add_parser("report", parents=[common], help="the half-year or annual results report")
    p.add_argument("year", metavar="YEAR", help="2021 or ROC 110")
    p.add_argument("--half", type=int, choices=(1,), help="1: the first half (January to June) only")
    p.add_argument("--format", choices=("odt", "docx", "xlsx", "ods", "html"), required=True,
                   help="odt/docx: the document in the seed's layout; xlsx/ods: the figures; html: to publish")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p = sub.add_parser("signals", parents=[common], help="process behaviour charts: limits, special causes, verdicts")
    p.add_argument("--year", help="only this year's points: 2021 or ROC 110 (default: every point)")
    p.add_argument("--json", action="store_true", help="one JSON list of series")
    p = sub.add_parser("backup", parents=[common], help="write a consistent copy of the database")
    p.add_argument("file", metavar="FILE")
    p = sub.add_parser("restore", parents=[common], help="replace the database with a backup")
    p.add_argument("file", metavar="FILE")
    return parser


def say(*lines: str, err: bool = False):
    """Print each line with its control characters escaped: the line breaks between
    lines are ours, any inside one came from data."""
    for line in lines:
        print(terminal(line), file=sys.stderr if err else sys.stdout)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    lang = args.lang or default_lang()
    scratch.remove_stale()      # what a killed import left in the temporary folder
    try:
        return COMMANDS[args.command](args, lang)
    except store.Busy as exc:
        say(t("cli.busy", lang, path=str(exc)), err=True)
        return EXIT_BUSY
    except BrokenPipeError:     # the reader went away (| head): nothing more to say, as other tools do
        _quiet_stdout()
        return EXIT_OK
    except Exception as exc:  # the last line of defence: a message, never a traceback
        say(t("cli.error", lang, error=f"{type(exc).__name__}: {exc}"), err=True)
        return EXIT_BUG


def _quiet_stdout():
    """Point standard output at /dev/null, so that the interpreter's own flush at exit
    does not hit the closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


@contextmanager
def _connection(db):
    con = store.connect(db)
    try:
        yield con
    finally:
        con.close()


def _import(args, lang) -> int:
    """Each file is parsed holding no connection (so no file lock: the app and other
    commands go on meanwhile), then written through a connection opened for the write.
    The first file's parse may have begun already (``python -m analytics``, through
    ``reader.prestart``); a parse begun and not needed is ended here."""
    try:
        return _import_files(args, lang)
    finally:
        reader.discard_prestarted()


def _import_files(args, lang) -> int:
    status = EXIT_OK
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            say(t("cli.no_file", lang, file=name), err=True)
            status = EXIT_REFUSED
            continue
        try:
            result = importer.parse_then_import(lambda: _connection(args.db), lambda: _connection(args.db), path,
                                                user=args.user, lang=lang)
        except Refused as refusal:
            say(*refusal.lines(lang), err=True)
            status = EXIT_REFUSED
            continue
        if result.batch_id is not None:
            say(*result.notices)
        say(*result.messages(lang))
    return status


def _open_for_reading(args):
    path = store.db_path(args.db)
    return store.connect(path, read_only=path.exists())


def _stats(args, lang) -> int:
    from . import yearly
    con = _open_for_reading(args)
    try:
        print(terminal_json(json.dumps(yearly.by_year(con), ensure_ascii=False, indent=1)))
    finally:
        con.close()
    return EXIT_OK


def _history(args, lang) -> int:
    con = _open_for_reading(args)
    try:
        batches = store.history(con)
    finally:
        con.close()
    if args.json:
        keys = ("id", "file", "sha256", "imported_at", "rows", "user", "undone_at")
        print(terminal_json(json.dumps([{k: b[k] for k in keys} for b in batches], ensure_ascii=False, indent=1)))
        return EXIT_OK
    say(t("cli.history_head", lang))
    for b in batches:
        marks = (t("cli.sample_mark", lang) if b["is_sample"] else "") + (
            t("cli.undone_mark", lang, at=b["undone_at"]) if b["undone_at"] else "")
        user, file = terminal(b["user"] or ""), terminal(b["file"])   # escaped before padding
        say(f"{b['id']:<5} {b['imported_at']:<20} {user:<8} {b['rows']:>5}  {file} {marks}".rstrip())
    return EXIT_OK


def _undo(args, lang) -> int:
    con = store.connect(args.db)
    try:
        result = store.undo_batch(con, args.batch_id)
    except store.UndoRefused as refusal:
        say(refusal.message(lang), err=True)
        return EXIT_REFUSED
    finally:
        con.close()
    say(result.message(lang))
    return EXIT_OK



def _year(args, lang):
    """``--year`` as a Gregorian year (2021 or ROC 110), None when not given, or False
    (said on stderr) when it is no year."""
    if not args.year:
        return None
    year = parse_year(args.year)
    if year is None or isinstance(year, Bad):
        say(t("cli.bad_year", lang, year=args.year), err=True)
        return False
    return year


def _export(args, lang) -> int:
    from . import export, records
    from .metrics import mask_name
    ds = DATASETS[args.dataset]
    year = _year(args, lang)
    if year is False:
        return EXIT_REFUSED
    unit = None
    if args.unit:
        if ds.unit_column is None:
            say(t("cli.no_unit_column", lang, dataset=args.dataset), err=True)
            return EXIT_REFUSED
        unit = (canonical_office if ds.unit_column == "office" else canonical_unit)(args.unit)
        unit = args.unit if isinstance(unit, Bad) else unit
    con = _open_for_reading(args)
    try:
        frame = records.stored_rows(con, args.dataset, year, unit)
    finally:
        con.close()
    if args.dataset == "phone_tests" and not args.names and "person" in frame:
        frame["person"] = frame["person"].map(mask_name)
    frame = frame.rename(columns=export.column_labels(args.dataset, lang))
    filters = [(t("export.dataset", lang), t(f"dataset.{args.dataset}", lang)),
               (t("export.year", lang), str(year) if year else t("export.all", lang)),
               (t("export.unit", lang), unit or t("export.all", lang))]
    export.save_table(frame, args.output, args.format, filters, lang, export.column_kinds(args.dataset, lang))
    say(t("cli.exported", lang, rows=len(frame), file=args.output))
    return EXIT_OK


def _report(args, lang) -> int:
    from . import report
    year = _year(args, lang)
    if not year:
        return EXIT_REFUSED
    con = _open_for_reading(args)
    try:
        built = report.build(con, year, args.half, lang)
    finally:
        con.close()
    Path(args.output).write_bytes(report.render(built, args.format))
    say(*report.missing_lines(built), err=True)
    if built.sample:
        say(t("report.sample_notice", lang), err=True)
    say(t("cli.report_done", lang, file=args.output))
    return EXIT_OK


def _signals(args, lang) -> int:
    from . import signals, spc_words
    from .kpis import BY_KEY
    from .metrics import Filters
    year = _year(args, lang)
    if year is False:
        return EXIT_REFUSED
    con = _open_for_reading(args)
    try:
        found = signals.all_series(con, Filters(years=(year, year) if year else None))
    finally:
        con.close()
    if args.json:
        out = [_series_json(s, spc_words.describe(s, lang)) for s in found]
        print(terminal_json(json.dumps(out, ensure_ascii=False, indent=1)))
        return EXIT_OK
    if not found:
        say(t("cli.signals_none", lang))
    for s in found:
        words = spc_words.describe(s, lang)
        kind = BY_KEY[s.kpi].kind
        assurance = f"　{words['assurance_mark']} {words['assurance']}" if words["assurance"] else ""
        say(t("cli.signals_series", lang, name=words["name"], kind=words["kind"], mark=words["variation_mark"],
              variation=words["variation"], assurance=assurance), "  " + words["sentence"])
        for i, changes in s.changes.items():
            for change in changes:
                say("    " + t("spc.say.change", lang, start=spc_words.period_words(s.chart.points[i].period, lang),
                                description=change.description or ""))
        for p in s.chart.points:
            if p.special:
                say(t("cli.signals_point", lang, period=_period(p.period), value=spc_words.number(p.value, kind),
                      rules=spc_words.rules_text(p.rules, lang)))
    return EXIT_OK


def _period(period) -> str:
    """A month as ROC year/month (112/03); a test round by its name."""
    from .labels import month_label
    return month_label(period) if hasattr(period, "month") else str(period)


def _series_json(series, words: dict) -> dict:
    """One series for ``signals --json``: its KPI, case type (or 全部), the latest
    segment's mean and limits (p′: at its latest point), the verdicts and every point."""
    from . import spc
    chart = series.chart
    changes = {i: "；".join(c.description or "" for c in cs) for i, cs in series.changes.items()}
    return {
        "kpi": series.kpi, "series": series.series, "name": words["name"], "kind": chart.kind, "unit": series.unit,
        "status": chart.status, "count": chart.count,
        "mean": _finite(chart.mean), "lower": _finite(chart.lower), "upper": _finite(chart.upper),
        "variation": chart.variation, "assurance": chart.assurance, "target": _finite(chart.target),
        "target_direction": {spc.AT_LEAST: "at_least", spc.AT_MOST: "at_most"}.get(chart.target_direction),
        "sentence": words["sentence"], "special_causes": words["special_causes"],
        "segments": [{"start": _period(chart.points[g.start].period), "end": _period(chart.points[g.stop - 1].period),
                      "status": g.status, "count": g.count, "mean": _finite(g.mean), "sigma": _finite(g.sigma),
                      "change": changes.get(g.start)} for g in chart.segments],
        "points": [{"period": _period(p.period), "value": _finite(p.value), "n": _finite(p.n),
                    "mean": _finite(p.mean), "lower": _finite(p.lower), "upper": _finite(p.upper),
                    "special": p.special, "rules": list(p.rules), "signal": p.signal} for p in chart.points],
    }


def _finite(value):
    return value if isinstance(value, (int, float)) and value == value and abs(value) != float("inf") else None


def _backup(args, lang) -> int:
    try:
        rows = store.backup(store.db_path(args.db), Path(args.file))
    except store.BackupRefused as refusal:
        say(refusal.message(lang), err=True)
        return EXIT_REFUSED
    say(t("cli.backup_done", lang, file=args.file, rows=rows))
    return EXIT_OK


def _restore(args, lang) -> int:
    try:
        rows = store.restore(Path(args.file), store.db_path(args.db))
    except store.BackupRefused as refusal:
        say(refusal.message(lang), err=True)
        return EXIT_REFUSED
    say(t("cli.restore_done", lang, file=args.file, rows=rows))
    return EXIT_OK


COMMANDS = {"import": _import, "stats": _stats, "history": _history, "undo": _undo, "export": _export,
            "report": _report, "signals": _signals, "backup": _backup, "restore": _restore}
