"""The way into every page: through app.py's frame."""
import streamlit as st


def through_app():
    """Run the page through app.py if it was opened on its own.

    A server's first request for /<stem> runs pages/<stem>.py directly, as Streamlit's
    old pages-folder apps did, until st.navigation has been called once in the
    process; the page would then miss the sidebar, the filters and the navigation.
    Turning that mode off and rerunning sends the same request through app.py, which
    finds the page by its URL path. (A private flag of Streamlit's, checked in
    tests/browser/test_browser.py: a first deep link shows its page, no dialog.)"""
    from streamlit.runtime.pages_manager import PagesManager
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
