"""ui/preload.py's script, run: the order in which it asks the browser for modules.
Node.js stands in for the browser (the script only calls import(), which Node has too;
here a stand-in records each call and when each module has "run")."""
import json
import shutil
import subprocess

import pytest

from ui import preload


def test_the_preload_runs_the_chart_module_before_the_others(tmp_path):
    """The chart's module is imported alone, the rest only once it has run: small
    modules would otherwise run first and the chart wait behind them. Run in Node with
    a stand-in document and import(), when Node is there."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("no Node.js on this machine")
    body = preload.script(("A.js", "B.js", "C.js")).split("<script>")[1].split("</script>")[0]
    # import() cannot be replaced in JavaScript, so the script's calls go to a stand-in.
    assert body.count("import(") == 1
    harness = ("var log = []; var pending = [];"
               "function fakeImport(url) { log.push('start ' + url.split('/').pop());"
               "  return new Promise(function (done) { pending.push(function () {"
               "    log.push('ran ' + url.split('/').pop()); done(); }); }); }"
               "var document = { querySelector: function () { return { src: 'http://h/static/js/index.js' }; } };"
               + body.replace("import(", "fakeImport(") +
               "function step() { if (pending.length) { pending.shift()(); setTimeout(step, 0); }"
               "  else console.log(JSON.stringify(log)); }"
               "setTimeout(step, 0);")
    (tmp_path / "p.js").write_text(harness)
    out = subprocess.run([node, str(tmp_path / "p.js")], capture_output=True, text=True, check=True).stdout
    log = json.loads(out)
    assert log[:2] == ["start A.js", "ran A.js"]
    assert sorted(log[2:4]) == ["start B.js", "start C.js"]
