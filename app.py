"""服務效能儀表板 — the router and the shared frame: page config, the first-start
sample load, the sidebar filters, the 示範資料 banner and the registered pages."""
import logging

import streamlit as st

from analytics import service
from analytics.i18n import t
from ui import a11y, data, filters, logs, preload
from ui.session import tr

# URL paths differ from the file names on purpose: Streamlit still maps /<file stem>
# to pages/<file stem>.py on a session's first request, which would skip this frame.
PAGES = [
    ("pages/overview.py", "page.overview", ":material/dashboard:", "kpi-overview"),
    ("pages/cases.py", "page.cases", ":material/stacked_line_chart:", "case-volumes"),
    ("pages/satisfaction.py", "page.satisfaction", ":material/sentiment_satisfied:", "satisfaction-survey"),
    ("pages/phone.py", "page.phone", ":material/call:", "phone-courtesy"),
    ("pages/dimensions.py", "page.dimensions", ":material/radar:", "dimension-scores"),
    ("pages/compare.py", "page.compare", ":material/compare_arrows:", "year-over-year"),
    ("pages/report.py", "page.report", ":material/description:", "annual-report"),
    ("pages/data_import.py", "page.import", ":material/upload_file:", "data-import"),
]

st.set_page_config(page_title="服務效能儀表板", page_icon=":material/monitoring:", layout="wide")
st.session_state.setdefault("lang", "zh")
preload.charts()


@st.cache_resource(show_spinner=False)
def first_start(db: str) -> int | None:
    """Once per server process and database: remove the upload and parse folders that
    processes now gone left behind; load the sample into an empty database."""
    service.remove_stale_scratch()
    return service.load_sample_if_new(db)


try:
    with st.spinner(t("app.loading_sample", st.session_state["lang"])), data.kept_open():
        first_start(str(service.db_path()))
    data.refresh_version()
    st.session_state["filters"] = filters.sidebar()
    if data.sample_shown():
        st.warning(tr("app.sample_banner"), icon=":material/science:")
except service.Busy:
    st.error(t("app.db_busy", st.session_state["lang"]))
    st.stop()

pages = [st.Page(path, title=tr(key), icon=icon, url_path=slug, default=i == 0)
         for i, (path, key, icon, slug) in enumerate(PAGES)]
logs.configure()
page = st.navigation(pages)
a11y.apply(st.session_state["lang"], page.title)
try:
    page.run()
except Exception:  # st.stop, st.rerun and st.switch_page are BaseException and pass through
    # Where error details are hidden (.streamlit/config.toml, for managers), a plain
    # message in their language and the traceback in the server's log; where a
    # developer asked for them, Streamlit's own report.
    if st.get_option("client.showErrorDetails") != "none":
        raise
    logging.getLogger("dashboard.app").exception("page failed")
    st.error(tr("app.unexpected_error"), icon=":material/error:")
