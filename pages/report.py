"""年度報告 — the half-year or annual results report, previewed and downloaded."""
import streamlit as st

from analytics import metrics, report
from analytics.report import FORMATS
from ui import charts, data, filters
from ui.session import lang, option_names, tr, ylabel

st.title(tr("page.report"))
years = data.fetch(metrics.options)["years"]
if not years:
    charts.empty("strategies")
    st.stop()
f = filters.filters()
newest_first = years[::-1]
# The year in view: the last of the sidebar's years, as on 總覽; the newest stored otherwise.
shown = newest_first.index(f.years[1]) if f.years and f.years[1] in newest_first else 0
cols = st.columns(2)
year = cols[0].selectbox(tr("report.year"), newest_first, index=shown, key="report_year",
                         format_func=option_names(newest_first, ylabel),
                         placeholder=tr("report.year_placeholder"))   # not Streamlit's English "Choose an option"
half = cols[1].radio(tr("report.period"), [None, 1], horizontal=True, key="report_half",
                     format_func=option_names([None, 1], lambda h: tr("report.period.half" if h == 1 else "report.period.year")))
built = data.fetch(report.outputs, int(year), half, lang())
for line in built["missing"]:
    st.warning(line)
if built["sample"]:
    st.info(tr("report.sample_notice"))
st.caption(tr("report.formats"))
buttons = st.columns(len(FORMATS))
for col, fmt in zip(buttons, FORMATS):
    if built[fmt] is None:      # its writer failed (logged on the server): the other formats are still here
        col.caption(tr("report.format_failed", fmt=fmt))
        continue
    col.download_button(tr("report.download_as", fmt=fmt), data=built[fmt], file_name=f"{built['file']}.{fmt}",
                        mime=built["mime"][fmt], key=f"report_dl_{fmt}", on_click="ignore",
                        help=tr(f"report.format_help.{fmt}"))
if built["failed"]:
    st.warning(tr("report.formats_failed", formats=tr("sum.list_join").join(f".{fmt}" for fmt in built["failed"])))
st.header(tr("report.preview"))
# Every value in the report's HTML is escaped (analytics/report.py), and it carries no script.
if built["html"] is not None:
    st.iframe(built["html"].decode("utf-8"), height=900, alt=tr("report.preview_name"))
else:
    st.info(tr("report.no_preview"))
