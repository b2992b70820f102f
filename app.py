"""Runner Strength Assistant — the chat app.

    python app.py            # serve on http://127.0.0.1:7860 (builds the index on first start)

Importing this module is safe and cheap: it lays out the UI as ``demo`` without loading
the embedding model or the index (they load on the first request, or in the background
once ``launch()`` starts).  Environment: ASSISTANT_HOST (default 127.0.0.1),
ASSISTANT_PORT (default 7860), ASSISTANT_SHARE=1 for a public Gradio link, plus the
ASSISTANT_* settings listed by ``strength-assistant doctor``.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # many small matrix products per request: one BLAS thread each

from assistant.settings import offline_env  # noqa: E402  (light: no model, no index)

offline_env()

from assistant.ui import build_app, launch  # noqa: E402

demo = build_app()


def _port(raw: str | None) -> int:
    try:
        return int(raw) if raw else 7860
    except ValueError:
        raise SystemExit(f"error: ASSISTANT_PORT={raw!r} is not a port number — fix or unset it") from None


if __name__ == "__main__":
    launch(host=os.environ.get("ASSISTANT_HOST") or "127.0.0.1",
           port=_port(os.environ.get("ASSISTANT_PORT")),
           share=(os.environ.get("ASSISTANT_SHARE") or "").lower() in ("1", "true", "yes"))
