"""Arrow without pandas, for the command line's import.

pyarrow imports pandas (0.4 s, a third of a 100,000-row import) the first time it
converts anything, only to learn whether the value is a pandas object. An import
has no pandas objects: its cells come from the parser as Arrow, are cleaned with
Arrow compute and go to DuckDB as Arrow. ``arrow_without_pandas`` lets pyarrow look
for pandas once while pandas cannot be found, so it never looks again for those
checks. Anything that really needs pandas (``Table.to_pandas``) still imports it then.

The price: in that process, once pandas is loaded after all, pyarrow no longer
recognises a pandas object passed to ``pa.array`` and friends. So only the command
line's ``import`` (which has no use for pandas) and the parse child call this; in a
process that has pandas loaded already (the app, the tests) it changes nothing.
"""
from __future__ import annotations

import sys


class _PandasAbsent:
    """A meta-path finder under which ``import pandas`` fails, for one moment."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("pandas is not needed here")
        return None


def arrow_without_pandas():
    """pyarrow, with its check for pandas done while pandas cannot be imported (unless
    it is loaded already: then pyarrow works with it as usual)."""
    if "pandas" not in sys.modules:
        sys.meta_path.insert(0, _PandasAbsent)
        try:
            import pyarrow as pa
            pa.array([])                 # the first conversion: pyarrow looks for pandas now, once
        finally:
            sys.meta_path.remove(_PandasAbsent)
    import pyarrow as pa
    return pa
