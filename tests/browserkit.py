"""A browser page on the chat app, with the few actions a user takes (real-browser tests)."""

from __future__ import annotations

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


class Page:
    """One browser page on the app, with the few actions a user takes."""

    def __init__(self, browser, url, viewport=DESKTOP, dark=False, locale="en-US", touch=False):
        # an English browser on purpose: the page must still be Korean; *touch*: a phone's
        # touch screen (page.touchscreen.tap), as a phone browser reports it
        self.ctx = browser.new_context(viewport=viewport, color_scheme="dark" if dark else "light", locale=locale,
                                       has_touch=touch, is_mobile=touch)
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
        # the saved conversation is restored and the sidebar filled (the page marks it)
        self.page.wait_for_function("() => document.body.dataset.uqaReady === '1'", timeout=60_000)

    def settle(self, selector: str, frames: int = 5):
        """Wait until the element at *selector* has kept its place on screen for *frames* animation
        frames (a smooth scroll or a layout change is over), however long that takes."""
        self.page.wait_for_function(
            """([sel, frames]) => { const el = document.querySelector(sel); if (!el) return false;
                 const r = el.getBoundingClientRect(), key = `${r.top},${r.left},${r.height}`;
                 const s = window.__uqaSettle || (window.__uqaSettle = {});
                 if (s[sel] !== key) { s[sel] = key; s[sel + '#'] = 0; return false; }
                 return ++s[sel + '#'] >= frames; }""", arg=[selector, frames], polling="raf", timeout=60_000)

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
        if n:  # brought into view (ui.js scrolls the newest turn on the next frame)
            self.settle("#conversation article.uqa-turn:last-of-type")

    def last_turn(self):
        return self.page.locator("#conversation article.uqa-turn").last

    def click_and_apply(self, selector: str):
        """Click *selector* and wait until the update its event sends has been applied."""
        before = self.page.evaluate("window.uqaApplied || 0")
        self.page.locator(selector).click()
        self.page.wait_for_function("(n) => (window.uqaApplied || 0) > n", arg=before, timeout=60_000)

    def new_conversation(self):
        """새 대화, waited for (its update replaces the conversation shown)."""
        self.click_and_apply("#new-conversation")
        self.wait_turns(0)

    def clear(self):
        """The 🗑 button: start from an empty conversation. Waits for the clear's own update to
        be applied (counted by ui.js), not only for 0 turns: on an empty page 0 turns is true at
        once, and a question asked before the clear came back would be wiped by it."""
        self.click_and_apply("#clear")
        self.wait_turns(0)

    def close(self):
        self.ctx.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


