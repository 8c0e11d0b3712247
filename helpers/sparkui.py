"""Where the student's browser reaches the Spark UI: directly, or through the notebook server.

On a laptop the Spark UI is ``http://127.0.0.1:4040``. On a JupyterHub or Binder pod the browser
cannot reach the pod's ports; jupyter-server-proxy (installed in the hub image, see binder/)
serves any local port through the notebook server at ``<server base URL>proxy/<port>/``. Spark
must then know that prefix (``spark.ui.proxyBase``) to write its links and redirects under it.

The server's base URL comes from ``$DISTML_SPARK_UI_PROXY`` (e.g. ``https://hub.example.org/user/
alice/``, or ``0`` to turn proxying off), else, on a hub, from ``$JUPYTERHUB_PUBLIC_URL`` (when
the hub sets it) and ``$JUPYTERHUB_SERVICE_PREFIX`` (``/user/alice/``, which every JupyterHub
and Binder sets for the single-user server and its kernels).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

__all__ = ["UiPlan", "plan_ui", "proxy_base_url"]

_OFF = {"0", "false", "no", "off"}


def proxy_base_url(environ=None) -> str | None:
    """The notebook server's base URL as the browser sees it (ending in ``/``), or None when the
    Spark UI is reached directly.

    >>> proxy_base_url({})
    >>> proxy_base_url({"JUPYTERHUB_SERVICE_PREFIX": "/user/alice/"})
    '/user/alice/'
    >>> proxy_base_url({"JUPYTERHUB_SERVICE_PREFIX": "/user/alice/",
    ...                 "JUPYTERHUB_PUBLIC_URL": "https://hub.example.org/"})
    'https://hub.example.org/user/alice/'
    >>> proxy_base_url({"DISTML_SPARK_UI_PROXY": "http://127.0.0.1:8899"})
    'http://127.0.0.1:8899/'
    >>> proxy_base_url({"DISTML_SPARK_UI_PROXY": "0", "JUPYTERHUB_SERVICE_PREFIX": "/user/a/"})
    """
    environ = os.environ if environ is None else environ
    setting = environ.get("DISTML_SPARK_UI_PROXY", "").strip()
    if setting.lower() in _OFF:
        return None
    if not setting:
        prefix = environ.get("JUPYTERHUB_SERVICE_PREFIX", "").strip()
        if not prefix:
            return None
        public = environ.get("JUPYTERHUB_PUBLIC_URL", "").strip().rstrip("/")
        setting = public + "/" + prefix.strip("/")
    return setting.rstrip("/") + "/"


@dataclass(frozen=True)
class UiPlan:
    """The Spark UI's port, the Spark settings that go with it, and the link to print."""

    port: int | None           # None: Spark picks (4040, or the next free one)
    conf: dict[str, str]       # extra Spark settings
    proxied_link: str | None   # ``<base>proxy/<port>/jobs/``, or None when not proxied

    def link(self, ui_web_url: str) -> str:
        """The address to print: the proxied link (for the port Spark bound), else Spark's own
        ``sc.uiWebUrl``."""
        if not self.proxied_link:
            return ui_web_url
        bound = ui_web_url.rstrip("/").rsplit(":", 1)[-1]
        return self.proxied_link.replace(f"/proxy/{self.port}/", f"/proxy/{bound}/")


def _free_port(start: int = 4040, tries: int = 64) -> int:
    """The first port from ``start`` on that nobody listens on at 127.0.0.1 (as Spark counts)."""
    for port in range(start, start + tries):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise OSError(f"no free port for the Spark UI in {start}..{start + tries - 1}")


def plan_ui(environ=None) -> UiPlan:
    """How to start the Spark UI here: behind the notebook server's proxy, or directly.

    Behind the proxy the port is chosen now (Spark's prefix names it, so Spark must not move to
    another one) and ``spark.ui.proxyBase`` is the proxied path; ``spark.ui.proxyRedirectUri``
    (the origin Spark's redirects point at) is set when the base URL names its origin.

    >>> plan_ui({"DISTML_SPARK_UI_PROXY": "https://hub.example.org/user/a/"}).conf[
    ...     "spark.ui.proxyRedirectUri"]
    'https://hub.example.org'
    >>> plan_ui({}).conf
    {}
    """
    from urllib.parse import urlsplit

    base = proxy_base_url(environ)
    if base is None:
        return UiPlan(None, {}, None)
    port = _free_port()
    url = urlsplit(base)
    conf = {"spark.ui.port": str(port), "spark.ui.proxyBase": f"{url.path}proxy/{port}"}
    if url.scheme and url.netloc:
        conf["spark.ui.proxyRedirectUri"] = f"{url.scheme}://{url.netloc}"
    return UiPlan(port, conf, f"{base}proxy/{port}/jobs/")
