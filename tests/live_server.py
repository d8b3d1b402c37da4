"""One app process on 127.0.0.1, for tests that need several processes (shared rate limits) or a
setting the session's app cannot take (a Redis that is down).

Run as `python -m tests.live_server PORT`; the settings come from the environment (PORTAL_ENV,
DATABASE_URL, RATELIMIT_STORAGE_URI...). The tables are created by the test beforehand.
"""
from __future__ import annotations

import sys

from werkzeug.serving import make_server

from portal import create_app


def main(port: int) -> None:
    app = create_app(overrides={"WTF_CSRF_ENABLED": False})
    make_server("127.0.0.1", port, app, threaded=True).serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]))
