"""The README's nginx example, exactly as written there, under a real nginx (no root, a
prefix of its own, free ports) in front of a real `streamlit run app.py`, and sign-ins
through it in Chromium from two client addresses, each sending an X-Forwarded-For of its
own choosing (issue 23).

With the README's `DASHBOARD_TRUSTED_PROXIES=127.0.0.1`: a client rotating the header
is still one client (its sixth guess, the right password, waits), and another client —
even one naming the first one's address — signs in. With the setting off (the default),
the proxy is every client's address: one client's guesses hold up the other. The
server's log records the address counted, never the one a client chose.

Client A connects from 127.0.0.1; client B from 127.0.0.2, through a relay that binds
that source address (Chromium cannot choose one)."""
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager

import pytest

from analytics.i18n import t
from browser_tier import requirements
from conftest import ROOT

_MISSING = requirements()
pytestmark = [_MISSING] if _MISSING else []

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
OPENSSL = shutil.which("openssl")
PASSWORD = "編輯密碼-正確"
SPOOFS = [f"203.0.113.{i}" for i in range(1, 8)]


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def readme_nginx() -> str:
    blocks = re.findall(r"```nginx\n(.*?)```", readme(), re.S)
    assert len(blocks) == 1
    return blocks[0]


def readme_trusted_proxies() -> str:
    """The setting the README starts Streamlit with behind that nginx."""
    m = re.search(r"`DASHBOARD_TRUSTED_PROXIES=(\S+) streamlit run app\.py --server\.address 127\.0\.0\.1", readme())
    assert m, "the README no longer says how Streamlit runs behind the proxy"
    return m[1]


def test_every_location_that_proxies_passes_the_client_s_address_and_metrics_stay_inside():
    conf = readme_nginx()
    locations = re.findall(r"location\s+([^{]+)\{(.*?)\n    \}", conf, re.S)
    proxying = [(where.strip(), body) for where, body in locations if "proxy_pass" in body]
    assert {w for w, _ in proxying} == {"/_stcore/upload_file/", "/"}
    for where, body in proxying:
        for line in ("proxy_set_header Host              $host;",
                     "proxy_set_header X-Forwarded-For   $remote_addr;",
                     "proxy_set_header X-Real-IP         $remote_addr;",
                     "proxy_set_header X-Forwarded-Proto $scheme;"):
            assert line in body, (where, line)
    metrics = dict((w.strip(), b) for w, b in locations)["^~ /_stcore/metrics"]
    assert "return 404;" in metrics and "proxy_pass" not in metrics


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def can_bind(address: str) -> bool:
    try:
        with socket.socket() as s:
            s.bind((address, 0))
        return True
    except OSError:
        return False


def wait_until(check, seconds=90.0, what="it"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{what} did not come up in {seconds} s")


@contextmanager
def relay(source: str, target_port: int):
    """A TCP relay on 127.0.0.1 whose connections to nginx come from ``source``."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    stop = threading.Event()

    def pump(a, b):
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def accept():
        while not stop.is_set():
            try:
                inbound, _ = listener.accept()
            except OSError:
                return
            try:
                outbound = socket.create_connection(("127.0.0.1", target_port), source_address=(source, 0))
            except OSError:            # the proxy is gone (the test is ending): drop this connection
                inbound.close()
                continue
            for a, b in ((inbound, outbound), (outbound, inbound)):
                threading.Thread(target=pump, args=(a, b), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        listener.close()


@contextmanager
def stack(folder, trusted: str | None):
    """nginx with the README's configuration in front of `streamlit run app.py`:
    (https base URL, path of Streamlit's log)."""
    if NGINX is None or OPENSSL is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no nginx or openssl: .ci/run must install nginx-light and openssl")
        pytest.skip("NGINX OR OPENSSL NOT FOUND: the proxy sign-in test is skipped (apt-get install nginx-light)")
    st_port, tls_port, http_port = free_port(), free_port(), free_port()
    subprocess.run([OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")], check=True, capture_output=True)
    (folder / "htpasswd").write_text("editor1:$apr1$x$y\n", encoding="utf-8")
    site = readme_nginx()
    for old, new, count in (("/etc/ssl/dashboard/fullchain.pem", folder / "cert.pem", 1),
                            ("/etc/ssl/dashboard/privkey.pem", folder / "key.pem", 1),
                            ("/etc/nginx/dashboard.htpasswd", folder / "htpasswd", 1),
                            ("listen 443 ssl;", f"listen 127.0.0.1:{tls_port} ssl;", 1),
                            ("listen 80;", f"listen 127.0.0.1:{http_port};", 1),
                            ("http://127.0.0.1:8501", f"http://127.0.0.1:{st_port}", 2)):
        assert site.count(old) == count, f"the README's example changed: {old!r}"
        site = site.replace(old, str(new))
    (folder / "site.conf").write_text(site, encoding="utf-8")
    temps = "".join(f"    {name}_temp_path {folder}/{name};\n"
                    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (folder / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "") +
        f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n    access_log {folder}/access.log;\n{temps}    include {folder}/site.conf;\n}}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("FORWARDED_ALLOW_IPS", "DASHBOARD_TRUSTED_PROXIES")}
    env.update(DASHBOARD_DB=str(folder / "dash.duckdb"), DASHBOARD_EDITOR_PASSWORD=PASSWORD, DASHBOARD_LANG="zh")
    if trusted is not None:
        env["DASHBOARD_TRUSTED_PROXIES"] = trusted
    log = open(folder / "streamlit.log", "wb")
    app = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
                            "--server.port", str(st_port), "--server.headless", "true"],
                           cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    proxy = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log"),
                              "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    insecure = ssl.create_default_context()
    insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE
    base = f"https://127.0.0.1:{tls_port}"
    try:
        wait_until(lambda: urllib.request.urlopen(f"{base}/_stcore/health", context=insecure, timeout=3).read() == b"ok",
                   what="streamlit behind nginx")
        yield base, folder / "streamlit.log", insecure
    finally:
        for process in (proxy, app):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


MARKERS = {"wrong": t("auth.wrong_password", "zh"), "waiting": t("auth.throttled", "zh").split("{")[0],
           "signed in": t("auth.signed_in", "zh").split("{")[0]}


def sign_in(browser, base: str, password: str, spoof: str) -> str:
    """One sign-in from a new browser session whose requests (the websocket's included)
    carry X-Forwarded-For and X-Real-IP ``spoof``; what the page then says."""
    context = browser.new_context(ignore_https_errors=True,
                                  extra_http_headers={"X-Forwarded-For": spoof, "X-Real-IP": spoof})
    try:
        page = context.new_page()
        page.goto(f"{base}/data-import")
        page.get_by_label(t("auth.name", "zh")).fill("王課長")
        page.get_by_label(t("auth.password", "zh")).fill(password)
        page.get_by_role("button", name=t("auth.sign_in", "zh")).click()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            text = page.inner_text("body")
            found = [name for name, marker in MARKERS.items() if marker in text]
            if found:
                return found[0]
            page.wait_for_timeout(200)
        raise TimeoutError(page.inner_text("body")[:500])
    finally:
        context.close()


def warm_up(browser, base: str):
    """One visit to "/" first (scripts/browser.py's warm_up, through TLS we made ourselves)."""
    from scripts.browser import settle
    context = browser.new_context(ignore_https_errors=True)
    try:
        page = context.new_page()
        page.goto(base)
        settle(page)
    finally:
        context.close()


def log_lines(path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if "sign-in" in line]


@pytest.fixture(scope="module")
def browser():
    from scripts.browser import chromium
    with chromium() as b:
        yield b


@pytest.fixture
def second_address():
    if not can_bind("127.0.0.2"):
        pytest.skip("this machine cannot send from 127.0.0.2: the two-client part is skipped")
    return "127.0.0.2"


def test_behind_the_readme_s_nginx_the_throttle_keys_on_the_real_client(tmp_path, browser, second_address):
    with stack(tmp_path, readme_trusted_proxies()) as (base, log, insecure):
        with pytest.raises(urllib.error.HTTPError) as hidden:
            urllib.request.urlopen(f"{base}/_stcore/metrics", context=insecure, timeout=10)
        assert hidden.value.code == 404
        warm_up(browser, base)
        # client A (127.0.0.1) guesses five times, naming a new address each time
        seen = [sign_in(browser, base, f"猜錯{i}", SPOOFS[i]) for i in range(5)]
        assert seen == ["wrong"] * 4 + ["waiting"], seen
        # a sixth name and the right password: A still waits
        assert sign_in(browser, base, PASSWORD, SPOOFS[5]) == "waiting"
        # client B (127.0.0.2), naming A's address, is not held up by A's guesses
        with relay(second_address, int(base.rsplit(":", 1)[1])) as port:
            assert sign_in(browser, f"https://127.0.0.1:{port}", PASSWORD, "127.0.0.1") == "signed in"
        lines = log_lines(log)
        failed = [line for line in lines if "sign-in failed" in line or "sign-in refused" in line]
        assert len(failed) == 6 and all("address 127.0.0.1," in line for line in failed), lines
        assert any("sign-in succeeded" in line and "address 127.0.0.2," in line for line in lines), lines
        assert not any(spoof in line for line in lines for spoof in SPOOFS), lines


def test_with_no_trusted_proxy_every_client_behind_it_is_one(tmp_path, browser, second_address):
    """The setting off (the default): the proxy is the address of everyone behind it, so
    the two clients share one count — and still no header a client sent counts."""
    with stack(tmp_path, None) as (base, log, insecure):
        warm_up(browser, base)
        seen = [sign_in(browser, base, f"猜錯{i}", SPOOFS[i]) for i in range(5)]
        assert seen == ["wrong"] * 4 + ["waiting"], seen
        with relay(second_address, int(base.rsplit(":", 1)[1])) as port:
            assert sign_in(browser, f"https://127.0.0.1:{port}", PASSWORD, "198.51.100.77") == "waiting"
        lines = log_lines(log)
        assert lines and all("address -," in line for line in lines), lines
        assert not any(spoof in line for line in lines for spoof in [*SPOOFS, "198.51.100.77"]), lines
