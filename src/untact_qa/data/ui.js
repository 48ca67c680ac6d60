// js_on_load of the conversation panel (gr.HTML): `element` is the panel, `trigger`
// sends an event to Python. One delegated listener, bound once, survives re-renders.
if (!element.dataset.uqaBound) {
  element.dataset.uqaBound = "1";
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
    }
  });
}
