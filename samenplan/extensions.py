"""Extensions, created unbound and bound in create_app() with init_app."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from samenplan.db import Database

db = Database()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# No default limits: we count failed logins ourselves (accounts/throttle.py) through
# this limiter's storage, so the same Redis/memory backend serves every limit.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
