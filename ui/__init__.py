"""The Streamlit side: shared frame, cached data access, charts with their tables."""
