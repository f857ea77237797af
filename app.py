"""服務效能儀表板 — the router and the shared frame: page config, the first-start
sample load, the sidebar filters, the 示範資料 banner and the registered pages."""
import logging

import streamlit as st

from analytics import service
from analytics.i18n import t
from ui import a11y, data, filters, logs
from ui.session import tr

# Each page's URL path is its file's stem. Until st.navigation has run once in a
# server process, Streamlit treats pages/ as an old-style pages folder: the first
# request for /<stem> runs pages/<stem>.py on its own, and any other path gets a
# "Page not found" dialog (streamlit#8860). Matching the stems, a page opened that way
# reruns itself through this frame (ui.entry.through_app) and no dialog appears.
PAGES = [
    ("pages/overview.py", "page.overview", ":material/dashboard:", "overview"),
    ("pages/cases.py", "page.cases", ":material/stacked_line_chart:", "cases"),
    ("pages/satisfaction.py", "page.satisfaction", ":material/sentiment_satisfied:", "satisfaction"),
    ("pages/phone.py", "page.phone", ":material/call:", "phone"),
    ("pages/dimensions.py", "page.dimensions", ":material/radar:", "dimensions"),
    ("pages/compare.py", "page.compare", ":material/compare_arrows:", "compare"),
    ("pages/report.py", "page.report", ":material/description:", "report"),
    ("pages/data_import.py", "page.import", ":material/upload_file:", "data_import"),
]

st.set_page_config(page_title="服務效能儀表板", page_icon=":material/monitoring:", layout="wide")
st.session_state.setdefault("lang", "zh")


@st.cache_resource(show_spinner=False)
def first_start(db: str) -> int | None:
    """Once per server process and database: load the sample into an empty one."""
    return service.load_sample_if_new(db)


try:
    with st.spinner(t("app.loading_sample", st.session_state["lang"])):
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
