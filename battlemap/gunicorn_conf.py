"""gunicorn's settings for `make run` and the systemd unit (docs/operations.md).

`gunicorn -c python:battlemap.gunicorn_conf battlemap.wsgi`: sync workers from the cores
(2 x cores + 1, at most 9; WEB_CONCURRENCY overrides), bound to 127.0.0.1:$PORT behind
the county's proxy (BIND overrides). No access log: the proxy keeps one, and a URL may
carry what a log should not.
"""

import os

from battlemap.settings import env_int, env_str

workers = env_int("WEB_CONCURRENCY", min(2 * (os.cpu_count() or 1) + 1, 9))
bind = env_str("BIND", f"127.0.0.1:{env_int('PORT', 8000)}")
timeout = env_int("GUNICORN_TIMEOUT", 120)  # a county's export page may take a while
graceful_timeout = 20
# A worker is replaced after this many requests: memory a big page took is given back.
max_requests = 2000
max_requests_jitter = 200
errorlog = "-"
accesslog = None
control_socket_disable = True  # no socket under the service user's home: nothing uses it
