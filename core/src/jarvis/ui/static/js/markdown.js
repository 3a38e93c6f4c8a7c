// Markdown to DOM nodes, safe by construction: every piece of text becomes a text node (HTML in
// a model's answer is shown as text), links go only to http(s) and open without referrer, and
// images are never loaded: an image becomes a link the user may choose to follow.

import { h } from "./dom.js";

const SAFE_URL = /^https?:\/\/[^\s]+$/i;

export function safeUrl(url) {
  try {
    const u = new URL(url);
    return (u.protocol === "http:" || u.protocol === "https:") && SAFE_URL.test(url) ? u.href : null;
  } catch {
    return null;
  }
}

function link(label, url) {
  const href = safeUrl(url);
  if (!href) return document.createTextNode(label === url ? label : `${label} (${url})`);
  return h("a", { href, rel: "noopener noreferrer nofollow", target: "_blank",
    referrerpolicy: "no-referrer" }, label);
}

const INLINE = /(`+)([\s\S]*?[^`])\1(?!`)|(!?)\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)|\*\*([^*\n]+?)\*\*|__([^_\n]+?)__|\*([^*\n]+?)\*|(?<![\w])_([^_\n]+?)_(?![\w])|~~([^~\n]+?)~~|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"])/g;

export function inline(text) {
  const out = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push(document.createTextNode(text.slice(last, m.index)));
    last = m.index + m[0].length;
    if (m[1]) out.push(h("code", {}, m[2]));
    else if (m[4] !== undefined || m[5] !== undefined) {
      if (m[3]) {
        const label = `image: ${m[4] || m[5]}`;
        const node = link(label, m[5]);
        out.push(node.nodeType === 1 ? (node.classList.add("image-link"), node) : node);
      } else out.push(link(m[4] || m[5], m[5]));
    } else if (m[6] || m[7]) out.push(h("strong", {}, inline(m[6] || m[7])));
    else if (m[8] || m[9]) out.push(h("em", {}, inline(m[8] || m[9])));
    else if (m[10]) out.push(h("del", {}, inline(m[10])));
    else if (m[11]) out.push(link(m[11], m[11]));
  }
  if (last < text.length) out.push(document.createTextNode(text.slice(last)));
  return out;
}

const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;

export function render(markdown) {
  const root = document.createDocumentFragment();
  const lines = String(markdown ?? "").replace(/\r\n?/g, "\n").split("\n");
  let i = 0;
  let para = [];
  const flush = () => {
    if (para.length) root.append(h("p", {}, inline(para.join("\n"))));
    para = [];
  };
  while (i < lines.length) {
    const line = lines[i];
    const fence = line.match(/^\s*(```|~~~)\s*([\w+-]*)/);
    if (fence) {
      flush();
      const body = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i++]);
      i++;
      const code = h("code", {}, body.join("\n"));
      if (fence[2]) code.dataset.lang = fence[2];
      root.append(h("pre", {}, code));
      continue;
    }
    const heading = line.match(/^(#{1,6})\s+(.*)$/);
    if (heading) {
      flush();
      root.append(h(`h${Math.min(heading[1].length + 2, 6)}`, {}, inline(heading[2])));
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) { flush(); root.append(h("hr")); i++; continue; }
    if (/^\s*>/.test(line)) {
      flush();
      const quoted = [];
      while (i < lines.length && /^\s*>/.test(lines[i])) quoted.push(lines[i++].replace(/^\s*>\s?/, ""));
      root.append(h("blockquote", {}, render(quoted.join("\n"))));
      continue;
    }
    const item = line.match(LIST_ITEM);
    if (item) {
      flush();
      const ordered = /\d/.test(item[2]);
      const list = h(ordered ? "ol" : "ul");
      while (i < lines.length) {
        const m = lines[i].match(LIST_ITEM);
        if (m && /\d/.test(m[2]) === ordered) { list.append(h("li", {}, inline(m[3]))); i++; }
        else if (lines[i].trim() && /^\s{2,}/.test(lines[i]) && list.lastChild) {
          list.lastChild.append(document.createTextNode(" "), ...inline(lines[i].trim())); i++;
        } else break;
      }
      root.append(list);
      continue;
    }
    if (!line.trim()) { flush(); i++; continue; }
    para.push(line);
    i++;
  }
  flush();
  return root;
}
