// Small widgets every page uses: messages, forms, tables, dialogs.

import { h, clear } from "./dom.js";

export function toast(text, kind = "info") {
  const box = document.getElementById("toasts");
  const el = h("div", { class: `toast ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
  box.append(el);
  setTimeout(() => el.remove(), kind === "error" ? 8000 : 3500);
}

// A place on a page where an error (or a success) is written in words.
export function notice() {
  const el = h("p", { class: "notice", role: "alert", hidden: true });
  el.show = (text, kind = "error") => {
    el.textContent = text;
    el.className = text ? `notice ${kind}` : "notice";
    el.hidden = !text;
  };
  el.clear = () => el.show("");
  return el;
}

// Run an async action from a button or form: disables it meanwhile, shows any error in words.
export async function attempt(where, fn, control) {
  if (control) control.disabled = true;
  where?.clear?.();
  try {
    return await fn();
  } catch (err) {
    if (where?.show) where.show(err.message || String(err));
    else toast(err.message || String(err), "error");
    return undefined;
  } finally {
    if (control) control.disabled = false;
  }
}

export function page(title, ...children) {
  return h("section", { class: "page" }, h("h1", {}, title), ...children);
}

export function field(label, input, hint) {
  return h("label", { class: "field" }, h("span", { class: "label" }, label), input,
    hint ? h("small", { class: "hint" }, hint) : null);
}

export function input(name, props = {}) {
  return h("input", { name, id: props.id || `f-${name}`, ...props });
}

export function checkbox(name, checked, label) {
  return h("label", { class: "check" }, h("input", { type: "checkbox", name, checked: !!checked }), label);
}

export function select(name, options, value) {
  return h("select", { name, id: `f-${name}` },
    options.map(([v, text]) => h("option", { value: v, selected: String(v) === String(value ?? "") }, text)));
}

export function button(text, onClick, props = {}) {
  return h("button", { type: "button", on: { click: onClick }, ...props }, text);
}

export function form(children, onSubmit, submitText = "Save") {
  const err = notice();
  const submit = h("button", { type: "submit", class: "primary" }, submitText);
  const el = h("form", { class: "form" }, children, err, h("div", { class: "actions" }, submit));
  el.addEventListener("submit", (ev) => {
    ev.preventDefault();
    attempt(err, () => onSubmit(new FormData(el), el, err), submit);
  });
  el.notice = err;
  return el;
}

export function table(columns, rows, empty = "Nothing here yet.") {
  if (!rows.length) return h("p", { class: "muted empty" }, empty);
  return h("div", { class: "table-wrap" }, h("table", {},
    h("thead", {}, h("tr", {}, columns.map(([label]) => h("th", { scope: "col" }, label)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, columns.map(([label, cell]) =>
      h("td", { dataset: { label } }, cell(row))))))));
}

export function badge(text, kind = "") {
  return h("span", { class: `badge ${kind}` }, text);
}

// A modal dialog; resolves with what `build` passes to `done` (or null when cancelled).
export function dialog(title, build) {
  return new Promise((resolve) => {
    const d = h("dialog", { class: "dialog" });
    const finish = (value) => { d.close(); d.remove(); resolve(value); };
    d.append(h("h2", {}, title), build(finish));
    d.addEventListener("cancel", (ev) => { ev.preventDefault(); finish(null); });
    document.body.append(d);
    d.showModal();
  });
}

export function confirmDialog(text, yes = "Delete") {
  return dialog("Please confirm", (done) => h("div", {}, h("p", {}, text),
    h("div", { class: "actions" },
      button("Cancel", () => done(false)),
      button(yes, () => done(true), { class: "danger" }))));
}

export function loading(el) {
  clear(el).append(h("p", { class: "muted" }, "Loading…"));
}

export function pager(total, pageNo, perPage, go) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  return h("nav", { class: "pager", "aria-label": "Pages" },
    button("← Previous", () => go(pageNo - 1), { disabled: pageNo <= 1 }),
    h("span", {}, `Page ${pageNo} of ${pages} (${total} in all)`),
    button("Next →", () => go(pageNo + 1), { disabled: pageNo >= pages }));
}
