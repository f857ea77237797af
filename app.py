"""服務效能儀表板 — the router and the shared frame: page config, language, the
first-start sample load, the 示範資料 banner, and the registered pages."""
import streamlit as st

from analytics import service, store
from analytics.i18n import t

PAGES = [
    ("pages/overview.py", "page.overview", "📊", "overview"),
]

st.set_page_config(page_title="服務效能儀表板", page_icon="📊", layout="wide")

if "lang" not in st.session_state:
    st.session_state["lang"] = "zh"
lang = st.sidebar.radio(t("app.language"), ["zh", "en"], key="lang", horizontal=True,
                        format_func=lambda code: {"zh": "繁體中文", "en": "English"}[code])


@st.cache_resource(show_spinner=False)
def first_start(db: str) -> int | None:
    """Once per server process and database: load the sample into an empty one."""
    return service.load_sample_if_new(db)


try:
    with st.spinner(t("app.loading_sample", lang)):
        first_start(str(store.db_path()))
    if service.is_sample_only():
        st.warning(t("app.sample_banner", lang), icon="🧪")
except store.Busy:
    st.error(t("app.db_busy", lang))
    st.stop()

pages = [st.Page(path, title=t(key, lang), icon=icon, url_path=slug, default=i == 0)
         for i, (path, key, icon, slug) in enumerate(PAGES)]
st.navigation(pages).run()
