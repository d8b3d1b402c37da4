"""The webhook transport against real servers on 127.0.0.1: address policy, no redirect, a total
deadline, a bounded answer, and never an exception."""
from __future__ import annotations

import ipaddress
import socket

import pytest

from portal.services.partners.webhook_transport import (
    Attempt,
    UnsafeURL,
    post,
    resolve,
    unsafe_reason,
)

from .servers import Receiver, TCPEndpoint, read_request

#: Teredo: server 65.54.227.120, client 10.0.0.1 (stored inverted in the last 32 bits).
TEREDO_OF_PRIVATE = "2001:0:4136:e378:8000:63bf:f5ff:fffe"


@pytest.mark.parametrize(("address", "reason"), [
    ("127.0.0.1", "loopback"),
    ("::1", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.5.4", "private"),
    ("192.168.1.10", "private"),
    ("169.254.169.254", "metadata"),
    ("fd00:ec2::254", "metadata"),
    ("100.64.0.1", "CGNAT"),
    ("100.100.100.200", "metadata"),
    ("fc00::1", "private"),
    ("fe80::1", "link-local"),
    ("::ffff:127.0.0.1", "IPv4-mapped form of 127.0.0.1"),
    ("2002:7f00:1::", "6to4 form of 127.0.0.1"),
    (TEREDO_OF_PRIVATE, "Teredo form of 10.0.0.1"),
    ("64:ff9b::7f00:1", "NAT64 form of 127.0.0.1"),
    ("::7f00:1", "IPv4-compatible form of 127.0.0.1"),
    ("0.0.0.0", "unspecified"),  # noqa: S104 - an address under test, nothing binds to it
    ("::", "unspecified"),
    ("224.0.0.1", "multicast"),
    ("255.255.255.255", "broadcast"),
    ("240.0.0.1", "reserved"),
])
def test_local_private_and_special_addresses_are_refused(address, reason):
    assert reason in unsafe_reason(address)
    assert reason in unsafe_reason(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946",
                                     "::ffff:93.184.216.34", "64:ff9b::5db8:d822",
                                     "2002:5db8:d822::1"])
def test_public_addresses_are_accepted(address):
    assert unsafe_reason(address) is None


def test_localhost_is_refused_before_any_connection():
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        with pytest.raises(UnsafeURL) as refused:
            resolve(f"https://localhost:{port}/hook", allow_private=False)
        assert refused.value.reason == "unsafe_address" and "loopback" in refused.value.detail
        attempt = post(f"https://localhost:{port}/hook", b"{}", {}, allow_private=False)
        assert attempt == Attempt(status=None, error=attempt.error, ok=False,
                                  elapsed=attempt.elapsed)
        assert "address refused" in attempt.error and "loopback" in attempt.error
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):  # nobody knocked
            listener.accept()


def test_resolve_returns_the_checked_addresses_and_refuses_bad_urls():
    assert resolve("http://127.0.0.1:8080/x", allow_private=True) == [
        ipaddress.ip_address("127.0.0.1")]
    for url, reason in [("http://93.184.216.34/", "scheme"), ("ftp://93.184.216.34/", "scheme"),
                        ("https:///x", "no_host"), ("https://93.184.216.34:99999/", "bad_port"),
                        ("https://no-such-host.invalid/", "unresolvable")]:
        with pytest.raises(UnsafeURL) as refused:
            resolve(url, allow_private=False)
        assert refused.value.reason == reason, url


def test_a_2xx_is_a_success_with_the_original_host_and_body():
    with Receiver([204]) as receiver:
        attempt = post(receiver.url + "?x=1", b'{"a": 1}', {"X-Test": "yes"},
                       allow_private=True)
    assert (attempt.status, attempt.error, attempt.ok) == (204, None, True)
    headers, body = receiver.received[0]
    assert body == b'{"a": 1}' and headers["X-Test"] == "yes"
    assert headers["Host"] == f"127.0.0.1:{receiver.port}"


def test_an_error_status_is_a_failure():
    with Receiver([503]) as receiver:
        attempt = post(receiver.url, b"{}", {}, allow_private=True)
    assert (attempt.status, attempt.error, attempt.ok) == (503, "HTTP 503", False)


def test_a_redirect_to_loopback_is_not_followed():
    with Receiver() as target:
        with Receiver([302], headers={"Location": f"http://127.0.0.1:{target.port}/"}) as first:
            attempt = post(first.url, b"{}", {}, allow_private=True)
        assert len(first.received) == 1
        assert target.received == []
        assert (attempt.status, attempt.ok) == (302, False)
        assert attempt.error == "HTTP 302: redirect not followed"
        assert post(target.url, b"{}", {}, allow_private=True).ok  # it was there to be reached


def answer_garbage(conn, stop):
    read_request(conn)
    conn.sendall(b"garbage\r\n")


def close_at_once(conn, stop):
    pass


@pytest.mark.parametrize(("behaviour", "error"), [
    (answer_garbage, "not an HTTP answer"), (close_at_once, "")])
def test_an_endpoint_that_does_not_speak_http_is_a_failed_attempt(behaviour, error):
    with TCPEndpoint(behaviour) as endpoint:
        attempt = post(endpoint.url, b"{}", {}, allow_private=True)
    assert (attempt.status, attempt.ok) == (None, False)
    assert attempt.error and error in attempt.error
    assert endpoint.connections == 1


def test_a_closed_port_is_a_failed_attempt():
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
    attempt = post(f"http://127.0.0.1:{port}/", b"{}", {}, allow_private=True)
    assert (attempt.status, attempt.error, attempt.ok) == (None, "connection refused", False)


def drip_body(conn, stop):
    """Headers at once, then one byte every half second for thirty seconds."""
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 60\r\n\r\n")
    for _ in range(60):
        if stop.wait(0.5):
            return
        conn.sendall(b"x")


def drip_headers(conn, stop):
    """A status line, then one header byte every half second: a per-read timeout never fires."""
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    for _ in range(60):
        if stop.wait(0.5):
            return
        conn.sendall(b"X")


def never_answer(conn, stop):
    read_request(conn)
    stop.wait(30)


@pytest.mark.parametrize("behaviour", [drip_body, drip_headers, never_answer])
def test_a_slow_endpoint_fails_within_the_total_deadline(behaviour):
    with TCPEndpoint(behaviour) as endpoint:
        attempt = post(endpoint.url, b"{}", {}, allow_private=True, deadline=1.0)
        assert not attempt.ok and attempt.error == "timed out"
        assert attempt.elapsed < 5  # the old per-read timeout let one delivery last 24 s
    assert not endpoint.alive()


def test_a_large_answer_is_cut_not_read_whole():
    total = 50 * 1024 * 1024
    sent = {"bytes": 0, "complete": False}

    def flood(conn, stop):
        read_request(conn)
        conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {total}\r\n\r\n".encode())
        chunk = b"x" * 65536
        while sent["bytes"] < total and not stop.is_set():
            conn.sendall(chunk)
            sent["bytes"] += len(chunk)
        sent["complete"] = sent["bytes"] >= total

    with TCPEndpoint(flood) as endpoint:
        attempt = post(endpoint.url, b"{}", {}, allow_private=True, deadline=30,
                       max_response_bytes=1024)
        for thread in endpoint.threads[1:]:
            thread.join(30)  # the server stops when the portal hangs up
    assert (attempt.status, attempt.ok) == (200, True)
    assert not sent["complete"] and sent["bytes"] < total
