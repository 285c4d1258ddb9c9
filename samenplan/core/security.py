"""Security headers and the request id that ties a user's error page to our logs."""

from __future__ import annotations

import logging
import uuid

from flask import Flask, Response, g, has_request_context, request

from samenplan.core.web import origin_ip

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def init_app(app: Flask) -> None:
    @app.before_request
    def _assign_request_id() -> None:
        g.request_id = uuid.uuid4().hex[:12]
        g.origin_token = origin_ip.set(request.remote_addr)

    @app.teardown_request
    def _reset_origin(_exc: BaseException | None) -> None:
        token = g.pop("origin_token", None)
        if token is not None:
            origin_ip.reset(token)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if app.config.get("HSTS"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id
        # Nearly every answer carries personal data (pages, PDFs, exports, print runs, even a
        # redirect or an error page names a plan): shared browsers and proxies keep none of
        # it. Only static files, the same for everyone, may be cached.
        if request.endpoint != "static":
            if "no-store" not in response.headers.get("Cache-Control", ""):
                response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"  # HTTP/1.0 proxies know only this one
        return response

    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")
    )
    app.logger.handlers[:] = [handler]
    app.logger.setLevel(logging.INFO)
    app.logger.propagate = False
