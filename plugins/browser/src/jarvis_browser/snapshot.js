// The page as a reader sees it: a copy of the live document without what is not shown, and
// the controls the tools may act on (a selector for each). Run by read.py with the most
// controls to list as its argument.
(maxControls) => {
  let hidden = 0;
  const unseen = (el) => {
    const s = getComputedStyle(el);
    if (s.display === "none" || s.visibility === "hidden" || s.visibility === "collapse") {
      return true;
    }
    if (parseFloat(s.opacity) === 0 || parseFloat(s.fontSize) < 3) return true;
    const r = el.getBoundingClientRect();
    if (r.right < 0 || r.bottom < -window.scrollY) return true;
    return (r.width < 2 || r.height < 2) && s.overflow !== "visible";
  };
  const skip = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "IFRAME", "OBJECT", "EMBED"]);
  const copy = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.data);
    if (node.nodeType !== Node.ELEMENT_NODE || skip.has(node.tagName)) return null;
    if (unseen(node)) {
      if ((node.textContent || "").trim()) hidden++;
      return null;
    }
    const out = node.cloneNode(false);
    for (const child of node.childNodes) {
      const c = copy(child);
      if (c) out.appendChild(c);
    }
    return out;
  };
  const body = document.body ? copy(document.body) : null;
  const quote = (v) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
  const controls = [];
  const found = document.querySelectorAll(
    "a[href], button, input, textarea, select, [role=button]");
  for (const el of found) {
    if (controls.length >= maxControls) break;
    if (unseen(el) || (el.type || "") === "hidden") continue;
    const tag = el.tagName.toLowerCase();
    const label = (el.innerText || el.getAttribute("aria-label") || el.placeholder || el.value
      || el.name || "").trim().replace(/\s+/g, " ").slice(0, 80);
    let selector = null;
    if (el.id) selector = "#" + CSS.escape(el.id);
    else if (el.name) selector = tag + '[name="' + quote(el.name) + '"]';
    else if (label) selector = tag + ':has-text("' + quote(label.slice(0, 40)) + '")';
    if (!selector) continue;
    controls.push({
      tag, type: el.type || "", label, selector, href: tag === "a" ? el.href : "",
      options: tag === "select" ? [...el.options].slice(0, 20).map((o) => o.value) : [],
    });
  }
  return { html: body ? body.outerHTML : "", hidden, controls, title: document.title || "" };
}
