"""資料總覽 — what the database holds, per dataset and year, and the import history."""
import pandas as pd
import streamlit as st

from analytics import service
from analytics.i18n import t

lang = st.session_state.get("lang", "zh")
st.title(t("overview.heading", lang))


@st.cache_data(show_spinner=False)
def summary(version: int, lang: str) -> pd.DataFrame:
    return service.loaded_summary(lang=lang)


@st.cache_data(show_spinner=False)
def history(version: int) -> pd.DataFrame:
    return pd.DataFrame(service.history())


version = service.data_version()
table = summary(version, lang)
st.subheader(t("overview.loaded", lang))
if table.empty:
    st.info(t("overview.empty", lang))
else:
    st.dataframe(table, hide_index=True, key="overview_table")
st.subheader(t("overview.history", lang))
st.dataframe(history(version), hide_index=True, key="history_table")
