"""``python -m analytics``: run the command, then leave without the interpreter's
teardown. By then every connection is closed (each command closes its own in a
``finally``: the write is committed and checkpointed) and every temporary file is
gone; what teardown would still do is free memory and unload modules one by one,
0.2–0.8 s of a 2 s import that nobody waits for. Output is flushed first.

An ``import`` starts parsing its first file before anything heavy is imported
(``reader.prestart`` needs the standard library only): the parse child works on the
other core while this process loads Arrow and DuckDB and opens the database, and the
child, forked from a process that has loaded little, starts small. The command then
tells pyarrow that pandas is absent (``lean``), so that nothing on the way imports it.
"""
import os
import sys

from . import reader

OPTIONS_WITH_VALUE = ("--db", "--lang", "--user")


def files_to_import(argv: list[str]) -> list[str]:
    """The files of ``import FILE... [--db PATH] [--lang L] [--user U]``, or [] for any
    other command line (or one this reading is unsure of: argparse decides those)."""
    if not argv or argv[0] != "import":
        return []
    files, i = [], 1
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            return files + argv[i + 1:]
        if arg in OPTIONS_WITH_VALUE:
            i += 2
            continue
        if arg.startswith("-"):
            if not arg.startswith(tuple(f"{o}=" for o in OPTIONS_WITH_VALUE)):
                return []           # --help, an abbreviation, a typo
        else:
            files.append(arg)
        i += 1
    return files


if __name__ == "__main__":
    files = files_to_import(sys.argv[1:])
    if files:
        reader.prestart(files[0])
        from .lean import arrow_without_pandas
        arrow_without_pandas()

    from .cli import main

    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # a closed pipe: nothing more can be said
        code = code or 1
    os._exit(code if isinstance(code, int) else 1)
