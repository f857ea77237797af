"""資料匯入 — upload, preview every sheet before anything is written, confirm, and
undo (after saying what it will remove); blank templates for every dataset; the
sample again into an empty database."""
import pandas as pd
import streamlit as st

from analytics import reader, service, blank_workbooks
from analytics.datasets import DATASETS
from analytics.i18n import t
from analytics.labels import user_label
from analytics.problems import Refused
from ui import a11y, auth, charts, data, staging
from ui.session import gregorian
from ui.session import lang as current_lang
from ui.session import option_names, tr
from ui.text import md

st.title(tr("page.import"))
lang = current_lang()
can_edit = auth.editor_gate()


def show_results():
    """What the last import, undo or sample load did (kept across the rerun that
    follows it), where focus lands after the action."""
    with st.container(key="import_results"):
        for kind, text in st.session_state.pop("_import_results", []):
            getattr(st, kind)(md(text))
    a11y.focus_here("import_results")


def remember(kind: str, text: str):
    st.session_state.setdefault("_import_results", []).append((kind, text))
    a11y.focus_next("import_results")


show_results()
staged: dict[str, staging.Staged] = st.session_state.setdefault("_staged", {})
imported: set[str] = st.session_state.setdefault("_imported_uploads", set())
uploader_key = f"up_{st.session_state['_uploads_done']}" if st.session_state.get("_uploads_done") else "up"
uploads = None if not can_edit else st.file_uploader(
    tr("import.upload"), type=["xlsx", "xls", "ods", "csv"], accept_multiple_files=True, key=uploader_key,
    max_upload_size=reader.MAX_UPLOAD_MB,
    help=tr("import.upload.help_cap", limit=reader.MAX_UPLOAD_MB, bytes=f"{reader.MAX_UPLOAD_BYTES:,}"))
if can_edit:    # the uploader's own hint is Streamlit's English ("Limit 50MB per file"): said here in words
    st.caption(tr("import.upload.help_cap", limit=reader.MAX_UPLOAD_MB, bytes=f"{reader.MAX_UPLOAD_BYTES:,}"))
before = set(staged)
staging.stage(uploads, staged, imported)
if set(staged) - before:         # a file was just added: focus goes to its preview
    a11y.focus_next("import_preview")

if staged:
    st.header(tr("import.preview"))
    previews = {}
    cache = st.session_state.setdefault("_previews", {})
    progress = st.progress(0.0, text=tr("import.checking"))
    for i, (file_id, item) in enumerate(staged.items()):
        key = (file_id, data.data_version(), lang, gregorian())
        if key not in cache:
            waiting = st.empty()     # while every parse slot is taken, the file says it waits its turn
            cache[key] = service.preview(item.path, item.name, lang=lang, gregorian=gregorian(),
                                         on_wait=lambda waiting=waiting, name=item.name:
                                         waiting.info(tr("import.parse_waiting_file", file=md(name)),
                                                      icon=":material/hourglass_top:"))
            waiting.empty()
        previews[file_id] = cache[key]
        progress.progress((i + 1) / len(staged), text=tr("import.checking_file", file=md(item.name)))
    progress.empty()
    # What the files would do, in one line, where focus lands after an upload.
    with st.container(key="import_preview"):
        counts = {"ok": sum(1 for p in previews.values() if p["ok"] and not p["existing"]),
                  "refused": sum(1 for p in previews.values() if not p["ok"]),
                  "same": sum(1 for p in previews.values() if p["existing"])}
        (st.warning if counts["refused"] else st.info)(tr("import.preview_summary", **counts))
    a11y.focus_here("import_preview")

    for file_id, p in previews.items():
        if p["existing"]:
            status = tr("import.status.same", batch=p["existing"])
        elif p["ok"]:
            status = tr("import.status.ok", rows=f"{sum(s['rows'] for s in p['sheets']):,}")
        else:
            status = tr("import.status.refused", count=f"{p['total']:,}")
        with st.expander(tr("import.file_label", file=md(p["file"]), status=status), expanded=not p["ok"]):
            for problem in p["problems"][:50]:
                st.error(md(problem))
            if p["total"] > 50:
                st.error(tr("import.more_problems", count=f"{p['total'] - 50:,}"))
            if p["cells"]:     # each refused cell with what the file holds there (115/13, as typed)
                st.markdown(tr("import.refused_cells"))
                cells = pd.DataFrame({tr("col.sheet"): [c["sheet"] for c in p["cells"][:50]],
                                      tr("col.excel_row"): [c["row"] for c in p["cells"][:50]],
                                      tr("col.column"): [c["column"] for c in p["cells"][:50]],
                                      tr("col.file_value"): [c["value"] for c in p["cells"][:50]],
                                      tr("col.problem"): [c["problem"] for c in p["cells"][:50]]})
                charts.show_table(cells, f"cells_{file_id}", key_columns=2, name=tr("import.refused_cells"),
                                  narrow=[tr("col.excel_row"), tr("col.column"), tr("col.file_value")])
            for notice in p["notices"]:
                st.caption(md(notice))
            for i, sheet in enumerate(p["sheets"]):
                if sheet["refused"]:    # its cleaned rows would show a refused cell blank: the cells above say it
                    st.markdown(tr("import.sheet_refused", sheet=md(sheet["sheet"]),
                                   dataset=tr(f"dataset.{sheet['dataset']}"), rows=f"{sheet['rows']:,}"))
                    continue
                st.markdown(tr("import.sheet_line", sheet=md(sheet["sheet"]), dataset=tr(f"dataset.{sheet['dataset']}"),
                               rows=f"{sheet['rows']:,}"))
                charts.show_table(sheet["head"], f"head_{file_id}_{i}", name=sheet["sheet"])

    ready = [i for i, p in previews.items() if p["ok"] and not p["existing"]]
    refused = [p["file"] for p in previews.values() if not p["ok"]]
    if refused:
        st.warning(tr("import.some_refused", files=tr("sum.list_join").join(md(name) for name in refused)))
    if st.button(tr("import.confirm", count=len(ready)), type="primary", disabled=not ready, key="confirm_import"):
        bar = st.progress(0.0, text=tr("import.writing"))
        for i, file_id in enumerate(ready):
            item = staged[file_id]
            bar.progress(i / len(ready), text=tr("import.writing_file", file=md(item.name)))
            try:
                result = service.import_path(item.path, item.name, user=auth.editor_name(), lang=lang,
                                             on_wait=lambda i=i, name=item.name: bar.progress(
                                                 i / len(ready), text=tr("import.parse_waiting_file", file=md(name))))
                for n, message in enumerate(result.messages(lang)):
                    remember("success" if result.batch_id and n == 0 else "info", message)
                staging.done(file_id, staged, imported)       # its copy leaves the disk now
            except Refused as refusal:
                remember("error", refusal.render(lang))
            except (service.WriterBusy, service.Busy):
                remember("error", tr("import.busy"))
        bar.progress(1.0, text=tr("import.finished"))
        st.session_state.pop("_previews", None)
        if not staged:   # everything went in: a fresh, empty uploader
            st.session_state["_uploads_done"] = st.session_state.get("_uploads_done", 0) + 1
        data.refresh_version()
        st.rerun()

st.header(tr("import.history"))
batches = service.history()
if batches:
    statuses = {"active": tr("import.in_force"), "sample": tr("import.sample")}
    history = pd.DataFrame({
        tr("col.batch"): [b["id"] for b in batches],
        tr("col.status"): [tr("import.undone", at=b["undone_at"][:16]) if b["status"] == "undone" else statuses[b["status"]]
                           for b in batches],
        tr("col.file"): [b["file"] for b in batches],
        tr("col.imported_at"): [b["imported_at"][:16] for b in batches],
        tr("col.user"): [user_label(b["user"], lang) for b in batches],
        tr("col.rows"): [b["rows"] for b in batches],
        tr("col.datasets"): [tr("sum.list_join").join(t("rows.of", lang, dataset=d, n=f"{n:,}") for d, n in b["rows_by_dataset"].items())
                             for b in batches],
        "SHA-256": [b["sha256"] for b in batches]})
    charts.table_with_downloads(history.iloc[::-1], "import_history", tr("import.history"), expanded=True)
    active = [b for b in reversed(batches) if b["status"] != "undone"]
    if active and can_edit:
        # A new batch (or an undo) must put the newest batch first again, even though
        # this session chose another before: the choice is forgotten when data changes.
        if st.session_state.get("_undo_pick_version") != data.data_version():
            st.session_state.pop("undo_pick", None)
            st.session_state.pop("_undo_confirm", None)
            st.session_state["_undo_pick_version"] = data.data_version()
        by_id = {b["id"]: b for b in active}
        cols = st.columns([3, 1], vertical_alignment="bottom")
        choice = cols[0].selectbox(tr("import.undo_pick"), list(by_id), key="undo_pick", placeholder=tr("ui.choose"),
                                   format_func=option_names(by_id, lambda i: tr(
                                       "import.undo_pick_label", batch=i, file=by_id[i]["file"],
                                       at=by_id[i]["imported_at"][:16])))
        if cols[1].button(tr("import.undo"), key="undo_btn"):
            st.session_state["_undo_confirm"] = int(choice)
            a11y.focus_next("undo_ask")     # the question it asks first
        a11y.focus_here("undo_btn")
        asked = st.session_state.get("_undo_confirm")
        if asked is not None and asked == choice:
            details = service.batch_details(int(asked))
            rows = lambda counts: tr("sum.list_join").join(t("rows.of", lang, dataset=d, n=f"{n:,}") for d, n in counts.items())  # noqa: E731
            with st.container(border=True, key="undo_ask"):
                st.markdown(f"### {tr('import.undo_ask', batch=asked)}")
                st.markdown(tr("import.undo_file", file=md(details["file"])))
                st.markdown(tr("import.undo_when", at=details["imported_at"][:16], user=md(user_label(details["user"], lang))))
                st.markdown(tr("import.undo_removes", rows=rows(details["removes"]) or t("undo.none", lang)))
                st.markdown(tr("import.undo_restores", rows=rows(details["restores"])) if details["restores"]
                            else tr("import.undo_restores_none"))
                if details["blocked_by"]:
                    later = ", ".join(str(b) for b in details["blocked_by"])
                    st.error(tr("import.undo_blocked", batch=asked, later=later))
                buttons = st.columns([1, 1, 4])
                confirmed = buttons[0].button(tr("import.undo_confirm"), key="undo_confirm", type="primary",
                                              disabled=bool(details["blocked_by"]))
                if buttons[1].button(tr("import.undo_cancel"), key="undo_cancel"):
                    st.session_state.pop("_undo_confirm", None)
                    a11y.focus_next("undo_btn")          # back where the question was asked
                    st.rerun()
            a11y.focus_here("undo_ask")
            if confirmed:
                try:
                    result = service.undo(int(asked), user=auth.editor_name())
                    remember("success", result.message(lang))
                except service.UndoRefused as refusal:
                    remember("error", refusal.message(lang))
                except (service.WriterBusy, service.Busy):
                    remember("error", tr("import.busy"))
                st.session_state.pop("_undo_confirm", None)
                data.refresh_version()
                st.rerun()
else:
    st.info(tr("overview.empty"))

if can_edit and service.is_empty():
    st.header(tr("import.load_sample"))
    st.caption(tr("import.load_sample.help"))
    if st.button(tr("import.load_sample"), key="load_sample"):
        try:
            result = service.load_sample(user=auth.editor_name(), lang=lang)
            remember("success", tr("import.sample_loaded", batch=result.batch_id))
        except service.UndoRefused as refusal:
            remember("error", refusal.message(lang))
        except (service.WriterBusy, service.Busy):
            remember("error", tr("import.busy"))
        data.refresh_version()
        st.rerun()

st.header(tr("import.templates"))
st.caption(tr("import.templates.help"))
for name in DATASETS:
    cols = st.columns([3, 1, 1])
    cols[0].markdown(f"**{tr('dataset.' + name)}**  \n{tr('import.cli_name', name=f'`{name}`')}")
    for col, fmt in zip(cols[1:], ("xlsx", "ods")):
        # The format first: two buttons of a row never read the same, even cut short.
        col.download_button(tr("import.template_button", dataset=tr("dataset." + name), fmt=fmt),
                            data=lambda name=name, fmt=fmt: blank_workbooks.blank_workbook(name, fmt, lang),
                            file_name=f"{tr('dataset.' + name)}_{tr('import.template_file')}.{fmt}",
                            key=f"tpl_{name}_{fmt}", on_click="ignore")
