"""A table as a chart page hands it to the downloads: counts left as floats by a
merge, a share, a score, dates, a year, text that looks like a formula, a long text."""
import numpy as np
import pandas as pd
import pytest

BRANCH = "板橋服務中心"                       # six CJK characters: twelve columns of text
LONG = "服務說明" * 25                          # 100 CJK characters: wider than any sensible column
KINDS = {"件數": "count", "增減 %": "share", "總分": "score", "日期": "date"}


def manager_table():
    return pd.DataFrame({
        "單位": [BRANCH, "=1+1", None],
        "件數": [1188.0, 23.0, np.nan],                 # floats, as a merge leaves counts
        "增減 %": [0.445, -0.0125, np.nan],
        "總分": [85.5, 90.0, 77.25],
        "日期": pd.to_datetime(["2021-07-01", "2021-12-31", None]),
        "年度": [2021, 2021, 2022],                      # not kinded: a year, no thousands separator
        "平均天數": [1.5, 2.25, 3.0],                     # not kinded: at most two decimals
        "說明": ["Tamsui office", LONG, ""],
    })


@pytest.fixture
def table():
    return manager_table()


FILTERS = [("年度", "110"), ("單位", BRANCH)]
