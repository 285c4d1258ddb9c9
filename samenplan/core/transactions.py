"""One transaction per request, committed in one place.

Views and services only change the session; the request commits once, after the view has
returned. A request that only reads (GET, HEAD) runs read-only: on SQLite its transactions
begin deferred so that readers never queue behind writers, and the few writes it makes go
through ``db.writing()``. A commit that loses a race becomes the conflict page, never a 500.
"""

from __future__ import annotations

import copy

from flask import Flask, Response, current_app, g, make_response, request, session

from samenplan.core import errors
from samenplan.core.web import READING_METHODS
from samenplan.extensions import db


def init_app(app: Flask) -> None:
    """Call last in create_app: the mode is set before any other hook reads the database,
    and the commit runs before any other after-request hook sees the response."""

    def _begin() -> None:
        if request.method in READING_METHODS:
            g.db_read_only = db.read_only()
            g.db_read_only.__enter__()
        else:  # to put back when the request fails (errors.undo_request)
            g.session_before = copy.deepcopy(dict(session))

    def _commit(response: Response) -> Response:
        try:
            db.commit()
        except Exception as error:
            if errors.is_conflict(error):
                return errors.conflict_response(error)
            errors.undo_request()
            current_app.logger.exception(
                "commit failed on %s %s", request.method, request.path, exc_info=error
            )
            return make_response(errors.render_error(500))
        return response

    def _end(_exc: BaseException | None) -> None:
        read_only = g.pop("db_read_only", None)
        if read_only is not None:
            read_only.__exit__(None, None, None)

    app.before_request_funcs.setdefault(None, []).insert(0, _begin)
    app.after_request_funcs.setdefault(None, []).append(_commit)
    app.teardown_request(_end)
