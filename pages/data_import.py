"""資料匯入 — upload, preview every sheet before anything is written, confirm, and
undo; blank templates for every dataset."""
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import service, store, templates
from analytics.datasets import DATASETS
from analytics.i18n import t
from analytics.problems import Refused
from analytics.store import UndoRefused
from ui import auth, frame
from ui.frame import tr

st.title(tr("page.import"))
lang = frame.lang()
can_edit = auth.editor_gate()

uploads = None if not can_edit else st.file_uploader(tr("import.upload"), type=["xlsx", "xls", "ods", "csv"], accept_multiple_files=True,
                           key="up", help=tr("import.upload.help"))
staged = {}
if uploads:
    folder = Path(tempfile.gettempdir()) / "dashboard_uploads"
    folder.mkdir(exist_ok=True)
    for upload in uploads:
        path = folder / f"{upload.file_id}{Path(upload.name).suffix.lower()}"
        if not path.exists():
            path.write_bytes(upload.getvalue())
        staged[upload.name] = path

    st.subheader(tr("import.preview"))
    previews = {}
    progress = st.progress(0.0, text=tr("import.checking"))
    for i, (name, path) in enumerate(staged.items()):
        cache = st.session_state.setdefault("_previews", {})
        key = (str(path), frame.data_version(), lang)
        if key not in cache:
            cache[key] = service.preview(path, name, lang=lang)
        previews[name] = cache[key]
        progress.progress((i + 1) / len(staged), text=tr("import.checking_file", file=name))
    progress.empty()

    for name, p in previews.items():
        if p["existing"]:
            status = tr("import.status.same", batch=p["existing"])
        elif p["ok"]:
            status = tr("import.status.ok", rows=sum(s["rows"] for s in p["sheets"]))
        else:
            status = tr("import.status.refused", count=p["total"])
        with st.expander(f"{name} — {status}", expanded=not p["ok"]):
            for problem in p["problems"][:50]:
                st.error(problem)
            if p["total"] > 50:
                st.error(tr("import.more_problems", count=p["total"] - 50))
            for notice in p["notices"]:
                st.caption(notice)
            for sheet in p["sheets"]:
                st.markdown(tr("import.sheet_line", sheet=sheet["sheet"], dataset=tr(f"dataset.{sheet['dataset']}"),
                               rows=sheet["rows"]))
                st.dataframe(sheet["head"], hide_index=True, key=f"head_{name}_{sheet['sheet']}")

    ready = [n for n, p in previews.items() if p["ok"] and not p["existing"]]
    refused = [n for n, p in previews.items() if not p["ok"]]
    if refused:
        st.warning(tr("import.some_refused", files="、".join(refused)))
    if st.button(tr("import.confirm", count=len(ready)), type="primary", disabled=not ready, key="confirm_import"):
        bar = st.progress(0.0, text=tr("import.writing"))
        for i, name in enumerate(ready):
            bar.progress(i / len(ready), text=tr("import.writing_file", file=name))
            try:
                result = service.import_path(staged[name], name, user=auth.editor_name(), lang=lang)
                if result.batch_id is None:
                    st.info(result.notices[0])
                else:
                    rows = "、".join(f"{tr('dataset.' + d)} {n:,}" for d, n in result.rows_by_dataset.items())
                    st.success(t("import.done", lang, file=name, batch=result.batch_id, rows=rows))
            except Refused as refusal:
                st.error(refusal.render(lang))
            except (service.WriterBusy, store.Busy):
                st.error(tr("import.busy"))
        bar.progress(1.0, text=tr("import.finished"))
        st.session_state.pop("_previews", None)
        frame.refresh_version()

st.subheader(tr("import.history"))
batches = service.history()
if batches:
    history = pd.DataFrame(batches)
    history["datasets"] = history["rows_by_dataset"].map(
        lambda by: "、".join(f"{tr('dataset.' + d)} {n:,}" for d, n in by.items()))
    history["status"] = [tr("import.undone", at=u) if u else (tr("import.sample") if s else tr("import.in_force"))
                         for u, s in zip(history["undone_at"], history["is_sample"])]
    view = history[["id", "file", "imported_at", "user", "rows", "datasets", "status", "sha256"]].rename(columns={
        "id": tr("col.batch"), "file": tr("col.file"), "imported_at": tr("col.imported_at"), "user": tr("col.user"),
        "rows": tr("col.rows"), "datasets": tr("col.datasets"), "status": tr("col.status"), "sha256": "SHA-256"})
    frame.table_with_downloads(view, "import_history", tr("import.history"), expanded=True)
    active = [b["id"] for b in batches if not b["undone_at"]]
    if active and can_edit:
        cols = st.columns([2, 1])
        choice = cols[0].selectbox(tr("import.undo_pick"), active[::-1], key="undo_pick",
                                   format_func=lambda i: f"{i} — {next(b['file'] for b in batches if b['id'] == i)}")
        if cols[1].button(tr("import.undo"), key="undo_btn"):
            try:
                removed = service.undo(int(choice), user=auth.editor_name())
                st.success(t("undo.done", lang, batch=choice, rows=sum(removed.values())))
                frame.refresh_version()
                st.rerun()
            except UndoRefused as refusal:
                st.error(t(refusal.code, lang, **refusal.params))
            except (service.WriterBusy, store.Busy):
                st.error(tr("import.busy"))
else:
    st.info(tr("overview.empty"))

st.subheader(tr("import.templates"))
st.caption(tr("import.templates.help"))
for name in DATASETS:
    cols = st.columns([3, 1, 1])
    cols[0].markdown(f"**{tr('dataset.' + name)}** `{name}`")
    for col, fmt in zip(cols[1:], ("xlsx", "ods")):
        col.download_button(f".{fmt}", data=lambda name=name, fmt=fmt: templates.template(name, fmt, lang),
                            file_name=f"{tr('dataset.' + name)}_範本.{fmt}", key=f"tpl_{name}_{fmt}", on_click="ignore")
