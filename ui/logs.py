"""The app's own log lines (sign-ins, page failures) go to the server's stderr with
their time: ``streamlit run`` configures only Streamlit's loggers."""
from __future__ import annotations

import logging

APP = logging.getLogger("dashboard")


def configure():
    if not APP.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        APP.addHandler(handler)
    APP.setLevel(logging.INFO)
