"""The README's nginx example is a configuration nginx accepts."""
import os
import re
import shutil
import subprocess

import pytest

from conftest import ROOT

NGINX = shutil.which("nginx") or (shutil.which("nginx", path="/usr/sbin:/usr/local/sbin"))
OPENSSL = shutil.which("openssl")


def readme_nginx() -> str:
    blocks = re.findall(r"```nginx\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1
    return blocks[0]


def test_the_example_guards_the_upload_endpoint_and_passes_the_address():
    conf = readme_nginx()
    upload = re.search(r"location /_stcore/upload_file/ \{(.*?)\}", conf, re.S).group(1)
    assert "auth_basic " in upload and "limit_req " in upload
    assert "proxy_set_header X-Forwarded-For   $remote_addr;" in conf
    assert re.search(r"listen 443 ssl;", conf) and "return 301 https://" in conf
    assert "client_max_body_size 51m;" in conf        # 51 MiB > 50,000,000 bytes and the framing


def test_nginx_accepts_the_example(tmp_path):
    if NGINX is None or OPENSSL is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no nginx or openssl: .ci/run must install nginx-light and openssl")
        pytest.skip("NGINX OR OPENSSL NOT FOUND: the README's nginx example is not checked (apt-get install nginx-light)")
    subprocess.run([OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True)
    site = (readme_nginx().replace("/etc/ssl/dashboard/fullchain.pem", str(tmp_path / "cert.pem"))
            .replace("/etc/ssl/dashboard/privkey.pem", str(tmp_path / "key.pem")))
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log off;\n    include {tmp_path}/site.conf;\n}}\n", encoding="utf-8")
    done = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                           "-e", str(tmp_path / "error.log")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "test is successful" in done.stderr, done.stderr
