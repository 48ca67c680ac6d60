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
  // a notice of the page's own beside a Gradio component (*anchor*): made once, found after
  const noticeBy = (id, anchor, role, put) => {
    let el = document.getElementById(id);
    const at = document.getElementById(anchor);
    if (!el && at) {
      el = document.createElement("div");
      el.id = id;
      el.className = "uqa-notice";
      el.setAttribute("role", role);
      put(at, el);
    }
    return el;
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
    const el = noticeBy("queue-note", "ask-status", "status", (at, n) => at.after(n));
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
  // "문서에서 보기" on a source card (in the sources panel or under an answer): Python fills the
  // document viewer, a dialog over the whole page (the sidebar too). It closes with its 닫기
  // button, Escape, or a tap or click on the backdrop around it, on every screen; focus then
  // goes back to the "문서에서 보기" that opened it (found again by its card should the sources
  // have been re-rendered meanwhile), and Tab stays inside while it is open.
  let opener = null;  // {el, card, doc, lines} of the button that opened the viewer
  const viewerBox = () => document.getElementById("doc-viewer");
  const viewerOpen = () => { const b = viewerBox(); return !!(b && b.style.display !== "none" && b.getClientRects().length); };
  const narrowViewer = () => window.matchMedia("(max-width: 860px)").matches;
  const revealViewer = (doc, lines) => {
    const v = document.querySelector("#doc-viewer .uqa-viewer");
    if (!v || v.dataset.doc !== doc || v.dataset.lines !== lines) return false;
    const box = viewerBox();
    const panel = document.getElementById("doc-viewer-panel") || box;
    box.style.display = "";
    document.documentElement.classList.add("uqa-viewer-open");  // the page behind does not scroll
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "true");
    if (document.getElementById("doc-viewer-heading")) panel.setAttribute("aria-labelledby", "doc-viewer-heading");
    else panel.setAttribute("aria-label", "문서 보기");
    panel.tabIndex = -1;
    const text = document.getElementById("doc-viewer-text");
    const page = v.querySelector(".uqa-page");
    if (page && narrowViewer()) {
      // one column on a phone: the page picture with its marked sentence first
      if (text) text.scrollTop = 0;
      page.scrollIntoView({ block: "start" });
    } else {
      v.querySelector(".uqa-hl")?.scrollIntoView({ block: "center" });
    }
    panel.focus({ preventScroll: true });  // keyboard users land in the viewer; Escape closes it
    return true;
  };
  const findOpener = () => {
    if (!opener) return null;
    if (opener.el && opener.el.isConnected && opener.el.getClientRects().length) return opener.el;
    const again = opener.card && document.getElementById(opener.card)?.querySelector(".uqa-open-doc");
    if (again && again.getClientRects().length) return again;
    return [...document.querySelectorAll(".uqa-open-doc")].find((b) => b.dataset.doc === opener.doc
      && b.dataset.lines === opener.lines && b.getClientRects().length) || null;
  };
  const closeViewer = () => {
    const box = viewerBox();
    if (!box || !viewerOpen()) return;
    box.style.display = "none";
    document.documentElement.classList.remove("uqa-viewer-open");
    const back = findOpener();
    opener = null;
    if (back) back.focus();
  };
  window.uqaCloseViewer = closeViewer;
  document.addEventListener("click", (ev) => {
    const open = ev.target.closest?.(".uqa-open-doc");
    if (!open) return;
    const { doc, lines } = open.dataset;
    const card = open.closest(".uqa-card");
    opener = { el: open, card: card?.id, doc, lines };
    // the cited sentence, to mark it on a PDF's page picture
    const quote = (card?.querySelector(".uqa-passage mark")?.textContent || "").slice(0, 1000);
    trigger("click", { action: "open_doc", doc, lines, quote });
    // the viewer is filled by Python: shown and scrolled to the cited lines once it holds them
    if (revealViewer(doc, lines)) return;
    const obs = new MutationObserver(() => { if (revealViewer(doc, lines)) obs.disconnect(); });
    obs.observe(document.body, { subtree: true, childList: true });
    setTimeout(() => obs.disconnect(), 15000);
  });
  // the backdrop: a click on it, outside the panel (capture: before Gradio or the page see it).
  // Only the backdrop's own: a link Gradio clicks in code to download a file is elsewhere.
  document.addEventListener("click", (ev) => {
    if (!viewerOpen() || !ev.target.closest?.("#doc-viewer") || ev.target.closest("#doc-viewer-panel")) return;
    ev.preventDefault();
    ev.stopPropagation();
    closeViewer();
  }, true);
  document.addEventListener("keydown", (ev) => {
    if (!viewerOpen()) return;
    if (ev.key === "Escape") {
      ev.preventDefault();
      closeViewer();
      return;
    }
    if (ev.key !== "Tab") return;
    const panel = document.getElementById("doc-viewer-panel");
    const stops = [...(panel?.querySelectorAll("button, a[href], input, select, textarea, [tabindex]:not([tabindex='-1'])") || [])]
      .filter((el) => !el.disabled && el.getClientRects().length);
    if (!stops.length) return;
    const first = stops[0], last = stops[stops.length - 1];
    const inside = panel.contains(document.activeElement);
    if (ev.shiftKey && (!inside || document.activeElement === first || document.activeElement === panel)) {
      ev.preventDefault();
      last.focus();
    } else if (!ev.shiftKey && (!inside || document.activeElement === last)) {
      ev.preventDefault();
      first.focus();
    }
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
  // Files for the upload, however they come (chosen, dropped, a folder): a file over the upload
  // limit or of a type untact-qa does not read is left out here and named in Korean (Gradio's own
  // checks show English toasts, and one file too big dropped the whole choice); the rest go on.
  // Capture phase, so this runs before Gradio's handlers of the same input or drop.
  const MAX_UPLOAD = __MAX_UPLOAD_BYTES__;  // UploadConfig.max_bytes, put in by ui.py
  const SUFFIXES = __SUFFIXES__;  // formats.SUFFIXES, put in by ui.py
  const MAX_BATCH = 200;  // files of one drop or folder (ChatApp.add_documents takes as many)
  const mb = (n) => (n / 1048576).toFixed(1);
  const sortFiles = (files) => {
    const ok = [], big = [], other = [];
    for (const f of files) {
      if (!SUFFIXES.some((s) => f.name.toLowerCase().endsWith(s))) other.push(f);
      else if (f.size > MAX_UPLOAD) big.push(f);
      else ok.push(f);
    }
    return { ok: ok.slice(0, MAX_BATCH), big, other, over: ok.slice(MAX_BATCH) };
  };
  // What was left out goes in a note of its own inside the status area (never in place of
  // Gradio's nodes there): "❌ 추가하지 않았습니다 — …" when nothing is left to send.
  const sayLeftOut = ({ ok, big, other, over }) => {
    const names = (fs) => fs.slice(0, 10).map((f) => f.name).join(", ") + (fs.length > 10 ? ` 외 ${fs.length - 10}개` : "");
    const parts = [];
    if (big.length) parts.push(`${big.slice(0, 10).map((f) => `${f.name} (${mb(f.size)} MB)`).join(", ")}`
      + `${big.length > 10 ? ` 외 ${big.length - 10}개` : ""}: 한 파일은 ${mb(MAX_UPLOAD)} MB까지 올릴 수 있습니다. 나누어 올려 주세요.`);
    if (other.length) parts.push(`${names(other)}: 읽을 수 없는 형식입니다 (${SUFFIXES.join(" ")} 파일만 추가할 수 있습니다).`);
    if (over.length) parts.push(`${names(over)}: 한 번에 ${MAX_BATCH}개까지 올릴 수 있습니다. 나머지는 다시 올려 주세요.`);
    const note = noticeBy("upload-skipped", "upload-status", "alert", (at, n) => at.appendChild(n));
    if (!note) return;
    note.textContent = !parts.length ? "" : `❌ ${ok.length ? "추가하지 않은 파일" : "추가하지 않았습니다"} — ${parts.join(" ")}`;
    note.hidden = !parts.length;
  };
  // the files into the upload's own input, as if chosen there (Gradio reads it on "change")
  const sendFiles = (files) => {
    const sorted = sortFiles(files);
    sayLeftOut(sorted);
    if (!sorted.ok.length) return;
    const input = document.querySelector("#upload input[type=file]");
    if (!input) {
      const note = document.getElementById("upload-skipped");
      if (note) { note.textContent = "앞서 올린 파일을 추가하는 중입니다. 끝난 뒤에 다시 올려 주세요."; note.hidden = false; }
      return;
    }
    const dt = new DataTransfer();
    sorted.ok.forEach((f) => dt.items.add(f));
    input.files = dt.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  };
  for (const type of ["input", "change"]) {
    document.addEventListener(type, (ev) => {
      if (!ev.target.closest?.("#upload") || ev.target.type !== "file") return;
      const sorted = sortFiles([...(ev.target.files || [])]);
      const left = sorted.big.length + sorted.other.length + sorted.over.length;
      if (left || type === "input") sayLeftOut(sorted);  // ("change" after "input" sees the files kept)
      if (!left) return;
      if (!sorted.ok.length) {
        ev.stopImmediatePropagation();
        ev.preventDefault();
        ev.target.value = "";
        return;
      }
      const dt = new DataTransfer();
      sorted.ok.forEach((f) => dt.items.add(f));
      ev.target.files = dt.files;
    }, true);
  }
  // A dropped folder is read here (Gradio takes files only): its supported files, hidden ones
  // left out as the command line leaves them out, in the order the browser lists them.
  const folderFiles = async (entries) => {
    const out = [];
    const walk = async (entry) => {
      if (entry.name.startsWith(".") || out.length > 10 * MAX_BATCH) return;
      if (entry.isFile) {
        out.push(await new Promise((res, rej) => entry.file(res, rej)));
        return;
      }
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((res, rej) => reader.readEntries(res, rej));
        if (!batch.length) break;
        for (const e of batch) await walk(e);
      }
    };
    for (const e of entries) await walk(e);
    return out;
  };
  document.addEventListener("drop", (ev) => {
    if (!ev.target.closest?.("#upload") || !ev.dataTransfer) return;
    const entries = [...(ev.dataTransfer.items || [])].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
    const files = [...(ev.dataTransfer.files || [])];
    const sorted = sortFiles(files);
    const folders = entries.some((e) => e.isDirectory);
    if (!folders && !sorted.big.length && !sorted.other.length && !sorted.over.length) {
      sayLeftOut(sorted);
      return;  // Gradio takes the drop as it is
    }
    ev.stopImmediatePropagation();
    ev.preventDefault();
    if (folders) folderFiles(entries).then(sendFiles).catch(() => sendFiles(files));
    else sendFiles(files);
  }, true);
  // 📁 폴더째 추가…: the browser's folder picker, its files sent as above
  document.addEventListener("click", (ev) => {
    if (ev.target.closest?.("#upload-folder")) document.getElementById("upload-folder-input")?.click();
  });
  document.addEventListener("change", (ev) => {
    if (ev.target.id !== "upload-folder-input") return;
    const files = [...(ev.target.files || [])].filter((f) => !(f.webkitRelativePath || f.name).split("/").some((p) => p.startsWith(".")));
    ev.target.value = "";
    sendFiles(files);
  });
  // Gradio's page sends every file of one choice in a single upload request, but the server
  // takes one file of at most the upload limit per request (untact_qa.http_guard): several
  // files go as a request each, one after another, their answers joined as Gradio expects.
  if (!window.uqaUploadSplit) {
    window.uqaUploadSplit = true;
    const send = window.fetch.bind(window);
    window.fetch = async (input, init) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : (input && input.url) || "";
      const body = init && init.body;
      if (!/\/gradio_api\/upload(\?|$)/.test(url) || !(body instanceof FormData) || body.getAll("files").length < 2) {
        return send(input, init);
      }
      const paths = [];
      const files = body.getAll("files");
      for (let i = 0; i < files.length; i++) {
        const one = new FormData();
        one.append("files", files[i]);
        // Gradio follows the progress of one upload id: the first request keeps it
        const u = i ? url.replace(/([?&])upload_id=[^&]*(&|$)/, "$1").replace(/[?&]$/, "") : url;
        const r = await send(u, { ...init, body: one });
        if (!r.ok) return r;
        paths.push(...(await r.json()));
      }
      return new Response(JSON.stringify(paths), { status: 200, headers: { "Content-Type": "application/json" } });
    };
  }
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
