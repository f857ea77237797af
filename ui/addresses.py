"""Which client a request comes from, for the sign-in throttle (issue 23).

The count of wrong passwords is kept per client address. Streamlit gives the address of
the connection's other end, after uvicorn (the server under Streamlit) has replaced it
with an X-Forwarded-For entry whenever that other end is one of the hosts uvicorn
trusts (``FORWARDED_ALLOW_IPS``, by default 127.0.0.1 and ::1). So a client on the same
machine could name any address it liked, and behind a proxy that did not pass the
header on every client looked like the proxy.

Here the forwarded headers count only when the connection comes from a proxy the app
is told to trust: ``DASHBOARD_TRUSTED_PROXIES`` (or ``trusted_proxies`` in secrets), its
addresses or networks, comma-separated; none by default. Then the client is the
right-most X-Forwarded-For entry (or X-Real-IP) that is not itself a trusted proxy — the
entry the nearest proxy wrote, never the left-most ones a client can send. Otherwise the
client is the connection's other end, and where uvicorn replaced that by a header's
entry (it gave exactly what the header says), the other end was one of uvicorn's
trusted hosts: those count as one client. 127.0.0.1 and ::1, which Streamlit does not
tell apart, are one host here too.
"""
from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass

from ui.throttle import OVERALL as SHARED     # clients that cannot be told apart: one count between them

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
LOOPBACK = (ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("::1/128"))


@dataclass(frozen=True)
class Hosts:
    """A set of addresses and networks (``everything``: uvicorn's "*")."""
    networks: tuple[Network, ...] = ()
    everything: bool = False

    @classmethod
    def parse(cls, text) -> "Hosts":
        """From "127.0.0.1, 10.0.0.0/8" (or a list of such); what is no address is ignored."""
        items = text if isinstance(text, (list, tuple)) else str(text or "").replace(";", ",").split(",")
        networks, everything = [], False
        for item in (str(i).strip() for i in items):
            if item == "*":
                everything = True
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                continue
        return cls(tuple(networks), everything)

    def __bool__(self):
        return self.everything or bool(self.networks)

    def holds(self, address: Address | None) -> bool:
        """``address`` is one of these hosts; None is the loopback address Streamlit
        does not name (127.0.0.1 or ::1)."""
        if self.everything:
            return True
        if address is None:
            return any(any(loop.subnet_of(n) for n in self.networks if n.version == loop.version) for loop in LOOPBACK)
        return any(address in n for n in self.networks)

    def covers(self, other: "Hosts") -> bool:
        """Every host of ``other`` is one of these (127.0.0.1 and ::1 as one)."""
        if self.everything:
            return True
        if other.everything:
            return False
        return all(self.holds(None) if n in LOOPBACK else
                   any(n.version == m.version and n.subnet_of(m) for m in self.networks) for n in other.networks)


def ip(text: str | None) -> Address | None:
    """An address from a header entry ("203.0.113.7", "203.0.113.7:5555",
    "[2001:db8::1]:443"), IPv4-mapped IPv6 as IPv4; None for anything else."""
    if not text:
        return None
    text = text.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _entries(values: list[str]) -> list[str]:
    return [e.strip() for v in values for e in v.split(",")]


def _uvicorn_choice(forwarded: list[str], server: Hosts) -> str | None:
    """What uvicorn puts in place of the connection's other end, when that is one of
    ``server``: the right-most entry not in ``server`` (the left-most with "*", or when
    all are), as its text; None when the header gives nothing."""
    entries = _entries(forwarded)
    if not entries or not any(entries):
        return None
    if server.everything:
        chosen = entries[0]
    else:
        chosen = next((e for e in reversed(entries) if not server.holds(ip(e) or _NOT_AN_ADDRESS)), entries[0])
    if chosen.startswith("["):
        chosen = chosen[1:].split("]", 1)[0]
    elif chosen.count(":") == 1:
        chosen = chosen.split(":", 1)[0]
    return chosen or None


_NOT_AN_ADDRESS = ipaddress.ip_address("0.0.0.0")


def server_trusted() -> Hosts:
    """The hosts uvicorn believes X-Forwarded-For from (its own default when unset)."""
    return Hosts.parse(os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"))


@dataclass(frozen=True)
class Client:
    key: str            # what the throttle counts by
    peer: str           # the connection's other end, as far as it is known
    forwarded: bool     # the key came from a trusted proxy's header


def client(remote: str | None, forwarded: list[str], real_ip: list[str], trusted: Hosts,
           server: Hosts | None = None) -> Client:
    """The client of a connection whose other end Streamlit gives as ``remote`` (None:
    127.0.0.1 or ::1), with these X-Forwarded-For and X-Real-IP header values."""
    server = server_trusted() if server is None else server
    remote_ip = ip(remote)
    chosen = _uvicorn_choice(forwarded, server)
    replaced = chosen is not None and (ip(chosen) == remote_ip if remote is not None
                                       else (ip(chosen) or _NOT_AN_ADDRESS) in (ipaddress.ip_address("127.0.0.1"),
                                                                               ipaddress.ip_address("::1")))
    if replaced:        # the other end was one of uvicorn's trusted hosts, which is unknown
        peer_text = "uvicorn-trusted host"
        peer_trusted = trusted.covers(server)
        shared = SHARED if all(n in LOOPBACK for n in server.networks) and not server.everything \
            else f"(behind {','.join(map(str, server.networks)) or '*'})"
    else:
        peer_text = remote or "127.0.0.1/::1"
        peer_trusted = trusted.holds(remote_ip) if remote is not None else trusted.holds(None)
        shared = remote_ip.compressed if remote_ip is not None else (remote or SHARED)
    if not peer_trusted:
        return Client(shared, peer_text, False)
    entries = _entries(forwarded) or _entries(real_ip[-1:])
    addresses = []
    for entry in reversed(entries):
        address = ip(entry)
        if address is None:            # the nearest proxy wrote no address: no client to tell apart
            return Client(shared, peer_text, False)
        if not trusted.holds(address):
            return Client(address.compressed, peer_text, True)
        addresses.append(address)
    if addresses:                      # every hop a trusted proxy: the first of them
        return Client(addresses[-1].compressed, peer_text, True)
    return Client(shared, peer_text, False)
