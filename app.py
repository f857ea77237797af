"""服務效能儀表板 — the router and the shared frame: page config, the first-start
sample load, the sidebar filters, the 示範資料 banner and the registered pages."""
import logging

import streamlit as st

from analytics import service
from analytics.i18n import t
from ui import a11y, data, filters, logs, preload
from ui.registry import PAGES
from ui.session import tr

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

pages = [st.Page(p.path, title=tr(p.title), icon=p.icon, url_path=p.slug, default=i == 0)
         for i, p in enumerate(PAGES)]
logs.configure()
page = st.navigation(pages)
st.session_state["_page_title"] = page.title       # downloads are named after their page (ui/charts.py)
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
