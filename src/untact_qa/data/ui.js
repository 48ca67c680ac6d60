// js_on_load of the conversation panel (gr.HTML): `element` is the panel, `trigger`
// sends an event to Python. One delegated listener, bound once, survives re-renders.
//
// A new answer does not re-send the conversation: the server sends a delta (ui_render.
// render_delta) through the hidden #turn-delta component, and uqaApply puts each new or
// changed turn and source section in place by its turn id. Full renders (load, clear, undo)
// replace the panel as before.
if (!element.dataset.uqaBound) {
  element.dataset.uqaBound = "1";
  const parse = (html) => {
    const t = document.createElement("template");
    t.innerHTML = html;
    return t.content.firstElementChild;
  };
  const place = (container, node, selector) => {
    const old = node && container.querySelector(selector);
    if (!node) return;
    if (old) old.replaceWith(node);
    else container.appendChild(node);
  };
  let lastSeq = 0;
  // The saved copy of this tab's conversation (what a reload shows): replaced whole on load,
  // clear, undo and switching, and changed turn by turn as answers and votes arrive, so no
  // answer carries the whole conversation again. Written whole each time, so with two tabs open
  // the last one to change wins, as it did before.
  const SAVED_KEY = __SAVED_KEY__;  // ui_render.SAVED_KEY, put in by ui.py
  let saved = [];
  const save = (s, drop) => {
    if (s.all) saved = s.all.slice();
    for (const t of s.put || []) {
      const k = saved.findIndex((x) => x.id === t.id);
      if (k >= 0) saved[k] = t; else saved.push(t);
    }
    if (drop && drop.length) saved = saved.filter((t) => !drop.includes(t.id));
    try {
      localStorage.setItem(SAVED_KEY, JSON.stringify(saved));
    } catch (e) {  // full or disabled storage: the chat goes on, unsaved
      console.warn("untact-qa: the conversation could not be saved in this browser", e);
    }
  };
  window.uqaApply = (d) => {
    if (!d || !d.seq || d.seq === lastSeq) return;
    lastSeq = d.seq;
    // every update applied, counted: what has been done is observable (a clear that came back)
    window.uqaApplied = (window.uqaApplied || 0) + 1;
    if (d.save) save(d.save, d.drop);
    const log = element.querySelector(".uqa-log");
    const panel = document.querySelector("#sources .uqa-sources");
    if (d.done) document.getElementById("turn-pending")?.remove();
    if (log) {
      for (const html of d.turns || []) {
        const art = parse(html);
        log.querySelector(":scope > .uqa-empty")?.remove();
        place(log, art, `#${art.id}`);
      }
      for (const id of d.drop || []) log.querySelector(`#turn-${id}`)?.remove();
    }
    if (panel) {
      for (const html of d.sources || []) {
        const sec = parse(html);
        panel.querySelector(":scope > .uqa-empty")?.remove();
        panel.querySelectorAll(".uqa-turn-sources").forEach((s) => { s.hidden = true; });
        place(panel, sec, `.uqa-turn-sources[data-turn='${sec.dataset.turn}']`);
      }
      for (const id of d.drop || []) panel.querySelector(`.uqa-turn-sources[data-turn='${id}']`)?.remove();
    }
    if (d.done) finished();
  };
  (window.uqaEarly || []).splice(0).forEach((d) => window.uqaApply(d));

  // One question at a time per page: a question sent while one is being answered waits in
  // the box (it is not dropped, and not erased) and goes as soon as the answer is in.
  let busy = false;
  let queued = false;
  let busyTimer = null;
  const note = (text) => {
    let el = document.getElementById("queue-note");
    const status = document.getElementById("ask-status");
    if (!el && status) {
      el = document.createElement("div");
      el.id = "queue-note";
      el.className = "uqa-notice";
      el.setAttribute("role", "status");
      status.after(el);
    }
    if (el) { el.textContent = text; el.hidden = !text; }
  };
  // the question shows at once, marked "답을 찾는 중…", until its answer replaces it
  const showPending = (text) => {
    const log = element.querySelector(".uqa-log");
    if (!log || !text.trim()) return;
    document.getElementById("turn-pending")?.remove();
    const art = document.createElement("article");
    art.className = "uqa-turn";
    art.id = "turn-pending";
    art.innerHTML = "<div class='uqa-q'><span class='uqa-who'>질문</span><div class='uqa-q-text'></div></div>"
      + "<div class='uqa-a' aria-busy='true'>답을 찾는 중…▍</div>";
    art.querySelector(".uqa-q-text").textContent = text.trim();
    log.querySelector(":scope > .uqa-empty")?.remove();
    log.appendChild(art);
  };
  const lastQuestion = () => {
    const q = element.querySelectorAll("article.uqa-turn:not(#turn-pending) .uqa-q-text");
    return q.length ? q[q.length - 1].textContent : "";
  };
  const setBusy = (on) => {
    busy = on;
    clearTimeout(busyTimer);
    if (on) busyTimer = setTimeout(() => setBusy(false), 120000);  // a lost connection must not lock the box
  };
  // Starting, switching, deleting or clearing a conversation while an answer is on its way
  // waits for that answer (the server reads a conversation when an event starts and writes it
  // when it ends: run side by side, one would overwrite the other and the answer land in the
  // wrong conversation). The click is replayed once the answer is in.
  let deferred = null;
  document.addEventListener("click", (ev) => {
    const el = ev.target.closest?.("#new-conversation, #conversation-list label, #delete-conversation, #clear, #undo");
    if (!el || !busy || el === replaying) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
    deferred = el;
    note("앞 질문에 답하는 중입니다. 답이 나오면 이어서 실행합니다.");
  }, true);
  let replaying = null;
  function finished() {
    setBusy(false);
    note("");
    if (deferred) {
      const el = deferred;
      deferred = null;
      replaying = el;
      el.click();
      replaying = null;
      return;
    }
    if (queued) {
      queued = false;
      const box = document.querySelector("#question textarea");
      if (box && box.value.trim()) document.getElementById("send")?.click();
    }
  }
  const hold = (ev, sends) => {
    ev.preventDefault();
    ev.stopImmediatePropagation();
    if (sends) queued = true;
    note(sends ? "앞 질문에 답하는 중입니다. 답이 나오면 이 질문을 이어서 보냅니다."
               : "앞 질문에 답하는 중입니다. 답이 나온 뒤에 다시 눌러 주세요.");
  };
  // Gradio's textbox sends on "keypress" Enter: watched here first (capture)
  document.addEventListener("keypress", (ev) => {
    if (ev.key !== "Enter" || ev.shiftKey || ev.isComposing || !ev.target.closest?.("#question")) return;
    if (busy) hold(ev, true);
    else {
      setBusy(true);
      showPending(ev.target.value || "");
    }
  }, true);
  document.addEventListener("click", (ev) => {
    const b = ev.target.closest?.("#send, #examples button, #retry");
    if (!b) return;
    if (busy) hold(ev, b.id === "send");
    else {
      setBusy(true);
      const box = document.querySelector("#question textarea");
      showPending(b.id === "send" ? (box ? box.value : "") : b.id === "retry" ? lastQuestion() : b.innerText);
    }
  }, true);
  // "문서에서 보기" on a source card (in the sources panel or under an answer): Python opens
  // the document viewer; Escape closes it
  const revealViewer = (doc, lines) => {
    const v = document.querySelector("#doc-viewer .uqa-viewer");
    if (!v || v.dataset.doc !== doc || v.dataset.lines !== lines) return false;
    const box = document.getElementById("doc-viewer");
    box.style.display = "";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "문서 보기");
    box.tabIndex = -1;
    v.querySelector(".uqa-hl")?.scrollIntoView({ block: "center" });
    box.focus({ preventScroll: true });  // keyboard users land in the viewer; Escape closes it
    return true;
  };
  document.addEventListener("click", (ev) => {
    const open = ev.target.closest?.(".uqa-open-doc");
    if (!open) return;
    const { doc, lines } = open.dataset;
    trigger("click", { action: "open_doc", doc, lines });
    // the viewer is filled by Python: shown and scrolled to the cited lines once it holds them
    if (revealViewer(doc, lines)) return;
    const obs = new MutationObserver(() => { if (revealViewer(doc, lines)) obs.disconnect(); });
    obs.observe(document.body, { subtree: true, childList: true });
    setTimeout(() => obs.disconnect(), 15000);
  });
  document.addEventListener("keydown", (ev) => {
    const box = document.getElementById("doc-viewer");
    if (ev.key === "Escape" && box && box.getClientRects().length) document.getElementById("doc-close")?.click();
  });
  // On a phone the conversation list starts folded away (its toggle opens it over the chat).
  if (window.matchMedia("(max-width: 860px)").matches) {
    let tries = 0;
    const fold = () => {
      const side = document.getElementById("conversations");
      if (side && side.classList.contains("open")) side.querySelector(".toggle-button")?.click();
      else if (!side && tries++ < 120) requestAnimationFrame(fold);
    };
    fold();
  }
  // A chip's preview is placed on the screen, not in the panel: the panel scrolls, and would
  // cut off a preview near its edge. Below the chip, or above it near the bottom of the screen.
  const placePreview = (ev) => {
    const chip = ev.target.closest?.(".uqa-chip");
    const pv = chip && chip.querySelector(".uqa-preview");
    if (!pv) return;
    const r = chip.getBoundingClientRect();
    const width = Math.min(420, window.innerWidth * 0.8);
    pv.style.position = "fixed";
    pv.style.left = `${Math.max(8, Math.min(r.left, window.innerWidth - width - 8))}px`;
    pv.style.top = `${r.bottom + 4}px`;
    requestAnimationFrame(() => {
      if (r.bottom + 4 + pv.offsetHeight > window.innerHeight) pv.style.top = `${Math.max(8, r.top - 4 - pv.offsetHeight)}px`;
    });
  };
  // a notice next to the box is brought into view (on a phone the box may sit at the bottom)
  let statusTries = 0;
  const watchStatus = () => {
    const statusBox = document.getElementById("ask-status");
    if (!statusBox) { if (statusTries++ < 240) requestAnimationFrame(watchStatus); return; }
    new MutationObserver(() => {
      if (statusBox.querySelector("[role=alert]")) statusBox.scrollIntoView({ block: "nearest" });
    }).observe(statusBox, { subtree: true, childList: true });
  };
  watchStatus();
  // a suggested question of a document's guide: asked about that document, like an example
  document.addEventListener("click", (ev) => {
    const s = ev.target.closest?.(".uqa-suggest");
    if (!s) return;
    const box = document.querySelector("#question textarea");
    if (!box) return;
    const name = s.dataset.doc.includes(" ") ? `#"${s.dataset.doc}"` : `#${s.dataset.doc}`;
    box.value = `${name} ${s.dataset.q}`;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    document.getElementById("send")?.click();
  });
  element.addEventListener("mouseover", placePreview);
  // A file over the upload limit is refused here, in Korean, before it is sent: Gradio's own
  // check would show an English toast ("File(s) exceed the maximum allowed size"). Capture
  // phase, so it runs before Gradio's handlers of the same input or drop.
  const MAX_UPLOAD = __MAX_UPLOAD_BYTES__;  // UploadConfig.max_bytes, put in by ui.py
  const tooBig = (files) => [...(files || [])].filter((f) => f.size > MAX_UPLOAD);
  const refuse = (ev, big) => {
    ev.stopImmediatePropagation();
    ev.preventDefault();
    const status = document.getElementById("upload-status");
    const mb = (n) => (n / 1048576).toFixed(1);
    if (status) {
      const div = document.createElement("div");
      div.className = "uqa-notice";
      div.setAttribute("role", "alert");
      div.textContent = `❌ 추가하지 않았습니다 — ${big.map((f) => `${f.name} (${mb(f.size)} MB)`).join(", ")}: ` +
        `한 파일은 ${mb(MAX_UPLOAD)} MB까지 올릴 수 있습니다. 나누어 올려 주세요.`;
      status.replaceChildren(div);
    }
  };
  // Gradio reads the chosen file on "input" (which comes before "change"): both are caught
  for (const type of ["input", "change"]) {
    document.addEventListener(type, (ev) => {
      if (!ev.target.closest?.("#upload") || ev.target.type !== "file") return;
      const big = tooBig(ev.target.files);
      if (big.length) { refuse(ev, big); ev.target.value = ""; }
    }, true);
  }
  document.addEventListener("drop", (ev) => {
    if (!ev.target.closest?.("#upload")) return;
    const big = tooBig(ev.dataTransfer && ev.dataTransfer.files);
    if (big.length) refuse(ev, big);
  }, true);
  element.addEventListener("focusin", placePreview);
  // 이 대화 삭제 asks first: the first click arms it for 5 seconds, the second deletes
  let deleteArmed = null;
  document.addEventListener("click", (ev) => {
    const del = ev.target.closest?.("#delete-conversation");
    if (!del || deleteArmed) {
      if (del) { clearTimeout(deleteArmed); deleteArmed = null; del.textContent = "이 대화 삭제"; }
      return;
    }
    ev.preventDefault();
    ev.stopImmediatePropagation();
    del.textContent = "정말 삭제할까요? 한 번 더 누르세요";
    deleteArmed = setTimeout(() => { deleteArmed = null; del.textContent = "이 대화 삭제"; }, 5000);
  }, true);
  // called by the question's submit (its `js`) with the text sent: the box empties on this
  // side, unless it already holds another question typed meanwhile (that one waits its turn)
  window.uqaSent = (sent) => {
    const box = document.querySelector("#question textarea");
    if (box && box.value === sent) {
      box.value = "";
      box.dispatchEvent(new Event("input", { bubbles: true }));
    }
  };
  const narrow = () => window.matchMedia("(max-width: 860px)").matches;
  const showSources = (turn, n) => {
    let target = null;
    if (narrow()) {
      const details = element.querySelector(`#turn-${turn} details.uqa-inline-sources`);
      if (details) details.open = true;
      target = element.querySelector(`#isrc-${turn}-${n}`) || details;
    } else {
      document.querySelectorAll("#sources .uqa-turn-sources").forEach((s) => {
        s.hidden = s.dataset.turn !== String(turn);
      });
      target = document.getElementById(`src-${turn}-${n}`);
    }
    document.querySelectorAll(".uqa-card.uqa-active").forEach((c) => c.classList.remove("uqa-active"));
    if (target) {
      target.classList.add("uqa-active");
      target.scrollIntoView({ behavior: "smooth", block: "center" });
      target.focus({ preventScroll: true });
    }
  };
  const copyText = async (text) => {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (e) {
      // insecure origins (plain http on a LAN address) have no clipboard API
      const ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.style.position = "fixed";
      ta.style.opacity = "0";
      document.body.appendChild(ta);
      ta.select();
      const ok = document.execCommand("copy");
      ta.remove();
      return ok;
    }
  };
  // The newest turn is brought into view whatever its kind (answer, near-miss, abstention,
  // notice): on a phone the page scrolls, on a desktop the panel and the page scroll as needed.
  // "nearest" does nothing when it is already visible and shows the start of a turn taller
  // than the panel.
  const showNewest = () => {
    const turns = element.querySelectorAll("article.uqa-turn");
    if (turns.length) turns[turns.length - 1].scrollIntoView({ block: "nearest" });
  };
  window.uqaShowNewest = showNewest;
  // a turn added, or the newest one filled in (the answer replacing "답을 찾는 중…")
  new MutationObserver((records) => {
    const turns = element.querySelectorAll("article.uqa-turn");
    const last = turns[turns.length - 1];
    if (last && records.some((r) => last.contains(r.target) || r.target.contains(last))) requestAnimationFrame(showNewest);
  }).observe(element, { subtree: true, childList: true, characterData: true });
  element.addEventListener("click", async (ev) => {
    const chip = ev.target.closest(".uqa-chip");
    if (chip) {
      ev.preventDefault();
      showSources(chip.dataset.turn, chip.dataset.n);
      return;
    }
    const copy = ev.target.closest(".uqa-copy");
    if (copy) {
      const plain = element.querySelector(`#plain-${copy.dataset.turn}`);
      const ok = await copyText(plain ? plain.textContent : "");
      copy.textContent = ok ? "복사됨" : "복사하지 못했습니다";
      setTimeout(() => { copy.textContent = "복사"; }, 1500);
      return;
    }
    const vote = ev.target.closest(".uqa-vote");
    if (vote) {
      trigger("click", { action: "vote", turn: Number(vote.dataset.turn), vote: vote.dataset.vote });
      return;
    }
    // "원래 질문 그대로 검색": the question asked again as typed, shown as being answered
    const literal = ev.target.closest(".uqa-literal");
    if (literal) {
      if (busy) return;
      const q = element.querySelector(`#turn-${literal.dataset.turn} .uqa-q-text`);
      setBusy(true);
      showPending(q ? q.textContent : "");
      trigger("click", { action: "literal", turn: Number(literal.dataset.turn) });
    }
  });
}
