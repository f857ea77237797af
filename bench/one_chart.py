"""The start-time baseline: a Streamlit page with one Plotly chart and nothing else,
importing what the dashboard's stack imports (streamlit, plotly, pandas, duckdb) and
drawing a frame that DuckDB made, so only the dashboard's own work is left to compare."""
import duckdb
import pandas as pd
import plotly.express as px
import streamlit as st

frame: pd.DataFrame = duckdb.sql("SELECT * FROM (VALUES ('a', 1), ('b', 3), ('c', 2)) AS t(x, y)").df()
st.plotly_chart(px.bar(frame, x="x", y="y"), key="only_chart")
