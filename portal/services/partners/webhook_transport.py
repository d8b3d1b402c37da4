"""Posting to a partner's server without letting its address reach the portal's own network.

Pure functions, no Flask and no database: the address policy (`unsafe_reason`), one checked
resolution (`resolve`) and one POST (`post`) that connects to the address that was checked, follows
no redirect, reads a bounded answer and holds a total deadline. `post` never raises: whatever goes
wrong is a failed `Attempt` with a short English text for the delivery log.
"""
from __future__ import annotations

import http.client
import io
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Cloud metadata services (AWS/GCP/Azure/OpenStack, AWS over IPv6, Alibaba).
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "fd00:ec2::254", "100.100.100.200"))
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # CGNAT, RFC 6598
BROADCAST = ipaddress.ip_address("255.255.255.255")
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052 well-known prefix
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated ::a.b.c.d
MAX_ERROR_LENGTH = 300


class UnsafeURL(ValueError):
    """A webhook address that must not be used. `reason` is one of REASONS, `detail` says more."""

    REASONS = ("scheme", "no_host", "bad_port", "unresolvable", "unsafe_address")

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


@dataclass(frozen=True)
class Attempt:
    """The outcome of one POST: `ok` only for a 2xx answer read within the deadline."""

    status: int | None
    error: str | None
    ok: bool
    elapsed: float


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address] | None:
    """The IPv4 address an IPv6 form carries, with the form's name."""
    if ip.ipv4_mapped is not None:
        return "IPv4-mapped", ip.ipv4_mapped
    if ip.sixtofour is not None:
        return "6to4", ip.sixtofour
    if ip.teredo is not None:
        return "Teredo", ip.teredo[1]
    if ip in NAT64:
        return "NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in IPV4_COMPATIBLE and int(ip) > 1:
        return "IPv4-compatible", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def unsafe_reason(ip: IPAddress | str) -> str | None:
    """Why a webhook must not be sent to `ip`, or None when it is a public unicast address."""
    if isinstance(ip, str):
        ip = ipaddress.ip_address(ip)
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
        ip = ipaddress.IPv6Address(str(ip).split("%", 1)[0])
    if ip in METADATA_ADDRESSES:
        return "cloud metadata address"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            form, ipv4 = embedded
            reason = unsafe_reason(ipv4)
            if reason is not None:
                return f"{form} form of {ipv4} ({reason})"
            if form in ("IPv4-mapped", "NAT64"):
                return None  # a public IPv4 address written as IPv6: judged as that address
            if form == "IPv4-compatible":
                return "deprecated IPv4-compatible address"
    checks = (
        (ip.is_unspecified, "unspecified address"),
        (ip == BROADCAST, "broadcast address"),
        (ip.is_loopback, "loopback address"),
        (ip.is_link_local, "link-local address"),
        (ip.is_multicast, "multicast address"),
        (isinstance(ip, ipaddress.IPv4Address) and ip in SHARED_ADDRESS_SPACE,
         "shared address space (CGNAT)"),
        (ip.is_reserved, "reserved address"),
        (ip.is_private, "private address"),
        (not ip.is_global, "not a public address"),
    )
    return next((reason for refused, reason in checks if refused), None)


def _parse(url: str, allow_private: bool) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL we accept to post to, or UnsafeURL."""
    try:
        parts = urlsplit(url)
    except ValueError as error:  # e.g. "https://[::1/", an IPv6 bracket left open
        raise UnsafeURL("no_host", "the host name cannot be read") from error
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise UnsafeURL("scheme", f"scheme {parts.scheme or '(none)'!r} is not allowed")
    if not parts.hostname:
        raise UnsafeURL("no_host", "the address has no host name")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeURL("bad_port", "the port is not valid") from error
    return parts.scheme, parts.hostname, port


def _check_addresses(host: str, port: int, allow_private: bool) -> list[tuple[int, IPAddress]]:
    try:
        answer = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise UnsafeURL("unresolvable", f"{host} cannot be resolved") from error
    checked: list[tuple[int, IPAddress]] = []
    for family, _type, _proto, _name, sockaddr in answer:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        ip = ipaddress.ip_address(sockaddr[0])
        reason = unsafe_reason(ip)
        if reason is not None and not allow_private:
            raise UnsafeURL("unsafe_address", f"{host} resolves to {ip}: {reason}")
        if (family, ip) not in checked:
            checked.append((family, ip))
    if not checked:
        raise UnsafeURL("unresolvable", f"{host} has no IP address")
    return checked


def resolve(url: str, allow_private: bool) -> list[IPAddress]:
    """Resolve the URL's host once and check every address of the answer: one unsafe address
    refuses the whole URL (unless `allow_private`). Raises UnsafeURL."""
    _scheme, host, port = _parse(url, allow_private)
    return [ip for _family, ip in _check_addresses(host, port, allow_private)]


class _Deadline:
    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline exceeded")
        return left


class _DeadlineReader(io.RawIOBase):
    """Reads from the socket, giving each read only what is left of the total deadline."""

    def __init__(self, sock: socket.socket, deadline: _Deadline):
        self.sock, self.deadline = sock, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self.sock.settimeout(self.deadline.remaining())
        return self.sock.recv_into(buffer)


class _DeadlineSocket:
    """What http.client sees of the socket: every send and read bounded by the deadline."""

    def __init__(self, sock: socket.socket, deadline: _Deadline):
        self.sock, self.deadline = sock, deadline

    def sendall(self, data) -> None:
        self.sock.settimeout(self.deadline.remaining())
        self.sock.sendall(data)

    def makefile(self, mode: str = "rb", *args, **kwargs):
        return io.BufferedReader(_DeadlineReader(self.sock, self.deadline))

    def close(self) -> None:
        """http.client closes its socket while the response still reads from it: the real
        socket is closed by `post` once the exchange is over."""


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to addresses checked beforehand, named by the original host name
    (Host header, TLS SNI and certificate check), within one total deadline."""

    def __init__(self, scheme: str, host: str, port: int, addresses, deadline: _Deadline):
        super().__init__(host, port)
        self.scheme, self.addresses, self.deadline = scheme, addresses, deadline
        self.raw: socket.socket | None = None

    def connect(self) -> None:
        last_error: OSError = ConnectionError("no address to connect to")
        for family, ip in self.addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(self.deadline.remaining())
                sock.connect((str(ip), self.port))
                if self.scheme == "https":
                    sock.settimeout(self.deadline.remaining())
                    sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)
            except TimeoutError:
                sock.close()
                raise
            except OSError as error:
                sock.close()
                last_error = error
                continue
            self.raw, self.sock = sock, _DeadlineSocket(sock, self.deadline)
            return
        raise last_error


def _describe(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        text = "timed out"
    elif isinstance(error, ssl.SSLError):
        text = f"TLS error: {error.reason or error}"
    elif isinstance(error, http.client.RemoteDisconnected):
        text = "connection closed without an answer"
    elif isinstance(error, http.client.HTTPException):
        text = f"not an HTTP answer ({type(error).__name__})"
    elif isinstance(error, ConnectionRefusedError):
        text = "connection refused"
    elif isinstance(error, OSError):
        text = f"network error: {error.strerror or error}"
    else:
        text = f"{type(error).__name__}: {error}"
    return text[:MAX_ERROR_LENGTH]


def post(url: str, body: bytes, headers: dict, *, allow_private: bool, deadline: float = 5.0,
         max_response_bytes: int = 64 * 1024) -> Attempt:
    """POST `body` to `url` once. Never raises; never follows a redirect; the whole exchange
    (resolution aside) holds within `deadline` seconds; reads at most `max_response_bytes`."""
    started = time.monotonic()
    status: int | None = None
    connection: _PinnedConnection | None = None

    def attempt(error: str | None) -> Attempt:
        ok = error is None and status is not None and 200 <= status < 300
        return Attempt(status=status, error=error, ok=ok, elapsed=time.monotonic() - started)

    try:
        scheme, host, port = _parse(url, allow_private)
        addresses = _check_addresses(host, port, allow_private)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection = _PinnedConnection(scheme, host, port, addresses, _Deadline(deadline))
        connection.request("POST", target, body=body,
                           headers={**headers, "Connection": "close"})
        response = connection.getresponse()
        status = response.status
        response.read(max_response_bytes)
    except UnsafeURL as error:
        return attempt(f"address refused: {error.detail}"[:MAX_ERROR_LENGTH])
    except Exception as error:  # one bad endpoint must not stop the others
        return attempt(_describe(error))
    finally:
        if connection is not None:
            connection.close()
            if connection.raw is not None:
                connection.raw.close()
    if 300 <= status < 400:
        return attempt(f"HTTP {status}: redirect not followed")
    if not 200 <= status < 300:
        return attempt(f"HTTP {status}")
    return attempt(None)
