#!/usr/bin/env python3
"""Measures `lectern serve`'s incremental rebuild: wall time from writing one edited
page to the `event: reload` on the live-reload stream.

    python3 benches/serve_latency.py --lectern target/release/lectern \
        --root /tmp/site --page content/section-1/page-1.md [--edits 10]

It starts `lectern --root ROOT serve -p 0` (loopback, any free port), connects to
`GET /BASE/__lectern/events` like a browser tab would, waits for `event: hello`, then
`--edits` times: appends one line to the page, and times until the next
`event: reload`. That is what a writer feels: the file watcher's delay, the rebuild
and the notification, everything but the browser's own reload. It prints one JSON
object (median, min, max in ms, and lectern's own "T ms after the change" figures).

Standard library only; every wait has a deadline, and the server is always stopped.
"""

import argparse
import json
import os
import re
import select
import socket
import statistics
import subprocess
import sys
import time
from urllib.parse import urlsplit

START_TIMEOUT = 300.0  # s: the first build of a big site, on a shared machine
EDIT_TIMEOUT = 60.0  # s: one rebuild
PAUSE = 0.5  # s between edits, so the watcher's events for one edit don't merge with the next


class Lines:
    """Reads whole lines from a pipe or socket with a deadline (no threads)."""

    def __init__(self, fileno_source, read):
        self.source = fileno_source
        self.read = read
        self.buffer = b""

    def next_line(self, deadline: float) -> str:
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no line before the deadline")
            ready, _, _ = select.select([self.source], [], [], left)
            if ready:
                chunk = self.read()
                if not chunk:
                    raise EOFError("the stream closed")
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode("utf-8", "replace").rstrip("\r")

    def drain(self) -> None:
        """Drops whatever has already arrived, so a late duplicate reload from the last
        edit is never taken for the next edit's."""
        for _ in range(1000):  # bounded: a stream that never stops talking is a bug
            ready, _, _ = select.select([self.source], [], [], 0)
            if not ready:
                break
            chunk = self.read()
            if not chunk:
                break
        self.buffer = b""


def wait_for_event(events: Lines, name: str, deadline: float) -> None:
    """Reads the event stream until `event: NAME`; anything else (pings, errors) is skipped,
    except a build error, which ends the run: a failed rebuild is not a timing."""
    while True:
        line = events.next_line(deadline)
        if line == f"event: {name}":
            return
        if line == "event: build-error":
            raise RuntimeError("lectern reported a build error: " + events.next_line(deadline))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lectern", required=True)
    parser.add_argument("--root", required=True, help="the site's folder (a copy: it is edited)")
    parser.add_argument("--page", required=True, help="the content file to edit, relative to --root")
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args()

    page = os.path.join(args.root, args.page)
    server = subprocess.Popen(
        [args.lectern, "--root", args.root, "serve", "-p", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    sock = None
    try:
        out = Lines(server.stdout, lambda: os.read(server.stdout.fileno(), 65536))
        deadline = time.monotonic() + START_TIMEOUT
        url = None
        while url is None:
            line = out.next_line(deadline)
            m = re.search(r"serving the site at (http://\S+)", line)
            if m:
                url = m.group(1)
        parts = urlsplit(url)
        assert parts.hostname in ("127.0.0.1", "localhost", "::1"), "loopback only"
        base = parts.path if parts.path.endswith("/") else parts.path + "/"

        # A raw socket rather than http.client: we need to read the stream line by line
        # with a deadline, which select() on the socket gives directly.
        sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
        sock.sendall(
            f"GET {base}__lectern/events HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            "Accept: text/event-stream\r\n\r\n".encode()
        )
        sock.setblocking(False)
        events = Lines(sock, lambda: sock.recv(65536))
        wait_for_event(events, "hello", time.monotonic() + 30)

        walls, reported = [], []
        for i in range(args.edits):
            time.sleep(PAUSE)
            events.drain()
            out.drain()
            started = time.perf_counter()
            with open(page, "a", encoding="utf-8") as f:
                f.write(f"\n第{i + 1}次修改：一行新的文字。\n")
            wait_for_event(events, "reload", time.monotonic() + EDIT_TIMEOUT)
            walls.append((time.perf_counter() - started) * 1000)
            # lectern's own line for this rebuild ("… (T ms after the change)"), for
            # comparison: it starts counting when the watcher reports, not at the write.
            line_deadline = time.monotonic() + 5
            try:
                while True:
                    line = out.next_line(line_deadline)
                    m = re.search(r"\((\d+) ms after the change\)", line)
                    if m:
                        reported.append(int(m.group(1)))
                        break
            except TimeoutError:
                pass

        print(
            json.dumps(
                {
                    "edits": len(walls),
                    "median_ms": round(statistics.median(walls), 1),
                    "min_ms": round(min(walls), 1),
                    "max_ms": round(max(walls), 1),
                    "all_ms": [round(w, 1) for w in walls],
                    "lectern_reported_median_ms": statistics.median(reported) if reported else None,
                }
            )
        )
        return 0
    finally:
        if sock is not None:
            sock.close()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
