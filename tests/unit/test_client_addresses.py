"""Which client a sign-in comes from (issue 23). The app sees the connection's other end
as Streamlit reports it — after uvicorn has replaced it with an X-Forwarded-For entry
whenever that other end is 127.0.0.1 or ::1 — and the forwarded headers. Headers count
only from a proxy the app is told to trust (none by default), and then only the entry
the nearest proxy wrote; a client choosing its own X-Forwarded-For never chooses its
count."""
import pytest

from ui.addresses import SHARED, Hosts, client, ip
from ui.throttle import OVERALL

UVICORN = Hosts.parse("127.0.0.1,::1")          # FORWARDED_ALLOW_IPS unset
NOBODY = Hosts()                                # DASHBOARD_TRUSTED_PROXIES unset
NGINX = Hosts.parse("127.0.0.1")                # the README: nginx on the same machine


def key(remote, forwarded=(), real_ip=(), trusted=NOBODY, server=UVICORN):
    return client(remote, list(forwarded), list(real_ip), trusted, server).key


def test_the_shared_key_is_the_throttle_s():
    assert SHARED == OVERALL


# ------------------------------------------------------------------ no trusted proxy (the default)

def test_a_direct_client_is_its_connection_whatever_header_it_sends():
    assert key("198.51.100.7") == "198.51.100.7"
    for spoof in ("203.0.113.1", "203.0.113.2", "198.51.100.8, 10.0.0.1"):
        assert key("198.51.100.7", [spoof]) == "198.51.100.7"       # uvicorn did not believe it either


@pytest.mark.parametrize("spoof", ["203.0.113.1", "203.0.113.2", "10.9.9.9", "127.0.0.1", "1.2.3.4, 5.6.7.8"])
def test_a_local_client_naming_any_address_is_one_shared_client(spoof):
    """uvicorn believed the header from 127.0.0.1 and handed the app the spoofed
    address; the app sees that it did, and counts the one real client, the local host."""
    remote = spoof.split(",")[-1].strip()
    shown = None if remote in ("127.0.0.1", "::1") else remote          # Streamlit names loopback None
    assert key(shown, [spoof]) == SHARED


def test_behind_a_proxy_nobody_trusts_every_client_is_the_proxy():
    for real in ("203.0.113.9", "198.51.100.1"):
        assert key(real, [real]) == SHARED


# ------------------------------------------------------------------ nginx trusted

def test_behind_the_trusted_proxy_each_client_is_its_own_address():
    assert key("203.0.113.9", ["203.0.113.9"], trusted=NGINX) == "203.0.113.9"
    assert key("198.51.100.1", ["198.51.100.1"], trusted=NGINX) == "198.51.100.1"
    assert key(None, ["127.0.0.1"], trusted=NGINX) == "127.0.0.1"       # a client on the proxy's own host
    assert key("127.0.0.2", ["127.0.0.2"], trusted=NGINX) == "127.0.0.2"


def test_left_entries_a_client_sent_are_never_its_address():
    """A proxy that appends ($proxy_add_x_forwarded_for) keeps what the client sent on the left."""
    for sent in ("203.0.113.1", "198.51.100.99, 10.0.0.1", "127.0.0.1", "garbage"):
        assert key("203.0.113.9", [f"{sent}, 203.0.113.9"], trusted=NGINX) == "203.0.113.9"


def test_the_right_most_address_not_itself_a_trusted_proxy():
    chain = Hosts.parse("127.0.0.1, 10.0.0.0/8")
    assert key("10.0.0.5", ["6.6.6.6, 203.0.113.9, 10.0.0.5"], trusted=chain) == "203.0.113.9"
    assert key("10.0.0.5", ["6.6.6.6, 203.0.113.9", "10.0.0.7, 10.0.0.5"], trusted=chain) == "203.0.113.9"


def test_a_trusted_setting_does_not_make_an_untrusted_connection_s_header_count():
    assert key("198.51.100.7", ["203.0.113.1"], trusted=NGINX) == "198.51.100.7"


def test_x_real_ip_when_there_is_no_x_forwarded_for():
    assert key(None, [], ["203.0.113.9"], trusted=NGINX) == "203.0.113.9"
    assert key(None, [], ["203.0.113.9"]) == SHARED                     # not from a trusted proxy


def test_no_usable_entry_from_the_nearest_proxy_is_no_address():
    assert key("unknown", ["203.0.113.1, unknown"], trusted=NGINX) == SHARED
    assert key(None, [], [], trusted=NGINX) == SHARED


def test_addresses_with_ports_brackets_and_mapped_forms():
    assert ip("203.0.113.9:5555").compressed == "203.0.113.9"
    assert ip("[2001:db8::1]:443").compressed == "2001:db8::1"
    assert ip("::ffff:203.0.113.9").compressed == "203.0.113.9"
    assert ip("not an address") is None and ip("") is None
    assert key("2001:db8::1", ["[2001:db8::1]:443"], trusted=NGINX) == "2001:db8::1"


def test_uvicorn_told_to_believe_everyone_leaves_the_other_end_unknown():
    everyone = Hosts.parse("*")
    assert key("203.0.113.1", ["203.0.113.1, 10.0.0.1"], server=everyone) != "203.0.113.1"
    assert key("203.0.113.1", ["203.0.113.1, 10.0.0.1"], trusted=NGINX, server=everyone) != "203.0.113.1"


def test_settings_parse_addresses_and_networks_and_ignore_the_rest():
    hosts = Hosts.parse(" 127.0.0.1 , 10.0.0.0/8; ::1, nonsense ")
    assert [str(n) for n in hosts.networks] == ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]
    assert not Hosts.parse("") and not Hosts.parse("nonsense")
    assert Hosts.parse(["127.0.0.1", "10.0.0.0/8"]).covers(Hosts.parse("127.0.0.1,::1"))
    assert not Hosts.parse("10.0.0.0/8").covers(UVICORN)
