"""A real browser (headless Debian chromium) loads the example page."""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import urllib.request

from interop_support import require_program

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT = 60.0


def test_chromium_renders_the_example_page(example_server: str) -> None:
    browser = require_program("chromium", CHROMIUM, "the Debian package 'chromium'")
    with tempfile.TemporaryDirectory(prefix="h11-interop-chromium-") as profile:
        result = subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", example_server + "/"],
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    dom = result.stdout.decode("utf-8", "replace")
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    assert "<h1>Hello from h11</h1>" in dom
    # app.js rewrites this paragraph on the load event: it ran, and every resource arrived.
    status = re.search(r'<p id="status">([^<]*)</p>', dom)
    assert status is not None, dom[-2000:]
    assert status.group(1) == "loaded 8/8 images, stylesheet applied"
    with urllib.request.urlopen(example_server + "/stats", timeout=10) as response:
        stats = json.loads(response.read())
    # The page, its stylesheet, script and 8 images: 11 requests, plus our /stats.
    browser_requests = stats["requests"] - 1
    browser_connections = stats["connections"] - 1
    assert browser_requests >= 11
    assert stats["protocol_errors"] == 0
    assert browser_connections >= 2, "chromium did not load resources in parallel"
    assert stats["max_requests_per_connection"] >= 2, "chromium did not reuse a connection"
