"""The start-time baseline: a Streamlit page with one Plotly chart and nothing else."""
import plotly.express as px
import streamlit as st

st.plotly_chart(px.bar(x=["a", "b", "c"], y=[1, 3, 2]), key="only_chart")
