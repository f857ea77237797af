"""服務效能儀表板 — the router and the shared frame: page config, the first-start
sample load, the sidebar filters, the 示範資料 banner and the registered pages."""
import logging

import streamlit as st

from ui import preload

st.set_page_config(page_icon=":material/monitoring:", layout="wide")
preload.charts()     # first, before this app's own imports: the browser fetches the page's modules meanwhile

from ui import a11y  # noqa: E402  (light: no chart library, no database)

# The page's language and the page itself next, before anything slow: the tab is named
# by the page in the same breath as Streamlit draws the page links, and the language
# is declared as soon as a script can run (ui/a11y.py).
lang = a11y.language()
a11y.start(lang)

from analytics import service  # noqa: E402
from analytics.i18n import t  # noqa: E402
from ui import data, filters, logs  # noqa: E402
from ui.registry import PAGES  # noqa: E402
from ui.session import tr  # noqa: E402

pages = [st.Page(p.path, title=t(p.title, lang), icon=p.icon, url_path=p.slug, default=i == 0)
         for i, p in enumerate(PAGES)]
page = st.navigation(pages)
a11y.title(lang, page.title)
st.session_state["_page_title"] = page.title       # downloads are named after their page (ui/charts.py)


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

logs.configure()
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
