"""A session's browser in words ("Chrome op Android") instead of its raw user-agent string.

Read with ua-parser (the rules of the uap-core project); the names it gives for the mobile
variants of a browser ("Chrome Mobile", "Mobile Safari") are shortened to the browser's
own name, which is what people know it by.
"""

from __future__ import annotations

from ua_parser import parse

from samenplan.core.i18n import gettext as _

#: ua-parser's family names that people know by a shorter one
BROWSER_NAMES = {
    "Chrome Mobile": "Chrome",
    "Chrome Mobile iOS": "Chrome",
    "Chrome Mobile WebView": "Chrome",
    "HeadlessChrome": "Chrome",
    "Mobile Safari": "Safari",
    "Mobile Safari UI/WKWebView": "Safari",
    "Firefox Mobile": "Firefox",
    "Firefox iOS": "Firefox",
    "Edge Mobile": "Edge",
    "Opera Mobile": "Opera",
}
SYSTEM_NAMES = {"Mac OS X": "macOS", "Chrome OS": "ChromeOS"}
UNKNOWN = "Other"


def device_label(user_agent: str | None) -> str | None:
    """The browser and system in words ("Chrome op Android"); None when nothing is known."""
    if not user_agent:
        return None
    result = parse(user_agent)
    browser = result.user_agent.family if result.user_agent else UNKNOWN
    system = result.os.family if result.os else UNKNOWN
    browser = BROWSER_NAMES.get(browser, browser)
    system = SYSTEM_NAMES.get(system, system)
    if browser != UNKNOWN and system != UNKNOWN:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    if browser != UNKNOWN:
        return browser
    if system != UNKNOWN:
        return _("A browser on %(system)s", system=system)
    return None
