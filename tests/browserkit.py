"""A browser page on the chat app, with the few actions a user takes (real-browser tests)."""

from __future__ import annotations

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


class Page:
    """One browser page on the app, with the few actions a user takes."""

    def __init__(self, browser, url, viewport=DESKTOP, dark=False, locale="en-US"):
        # an English browser on purpose: the page must still be Korean
        self.ctx = browser.new_context(viewport=viewport, color_scheme="dark" if dark else "light", locale=locale)
        self.ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
        self.page = self.ctx.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.url = url
        self.open()

    def open(self, query: str = ""):
        self.page.goto(self.url + query)
        self.page.locator("#question textarea").wait_for(timeout=60_000)
        self.page.wait_for_function("() => window.uqaApply !== undefined")  # the page's script is bound
        self.page.wait_for_timeout(300)  # the saved conversation is restored on load

    def turns(self) -> int:
        return self.page.locator("#conversation article.uqa-turn").count()

    def ask(self, text: str, wait: bool = True):
        before = self.turns()
        box = self.page.locator("#question textarea")
        box.fill(text)
        box.press("Enter")
        if wait:
            self.wait_turns(before + 1)

    def wait_turns(self, n: int):
        self.page.wait_for_function(
            "(n) => document.querySelectorAll('#conversation article.uqa-turn').length === n && "
            "!document.querySelector('#conversation [aria-busy]') && "
            "document.querySelectorAll('#conversation .uqa-actions').length === n", arg=n, timeout=60_000)
        self.page.wait_for_timeout(150)

    def last_turn(self):
        return self.page.locator("#conversation article.uqa-turn").last

    def clear(self):
        """The 🗑 button: start from an empty conversation."""
        self.page.locator("#clear").click()
        self.wait_turns(0)

    def close(self):
        self.ctx.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


