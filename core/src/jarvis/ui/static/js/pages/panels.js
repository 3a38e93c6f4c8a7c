// Plugins' settings panels, drawn from their declarations: forms from the JSON schema of the
// plugin's own routes, lists with add and remove. A plugin ships no script of its own.

import { api, query } from "../api.js";
import { h, when, fill } from "../dom.js";
import { field, checkbox, table, button, notice, attempt, confirmDialog, toast } from "../ui.js";

const SECRET = /(password|token|secret|api_key|user_key)$/i;

function resolve(schema, root) {
  if (schema && schema.$ref) return resolve(root.$defs?.[schema.$ref.split("/").pop()] || {}, root);
  if (schema && schema.anyOf) {
    const real = schema.anyOf.find((s) => s.type !== "null");
    return { ...resolve(real || {}, root), description: schema.description, title: schema.title, default: schema.default };
  }
  if (schema && schema.allOf && schema.allOf.length === 1) return { ...resolve(schema.allOf[0], root), ...schema, allOf: undefined };
  return schema || {};
}

function label(name, prop) {
  const text = prop.title || name.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// Inputs for the fields of an object schema; `values` fills them (secrets are never filled).
export function schemaFields(schema, values = {}) {
  const root = schema || {};
  const required = new Set(root.required || []);
  const out = [];
  for (const [name, raw] of Object.entries(root.properties || {})) {
    const prop = resolve(raw, root);
    const value = values[name] ?? (prop.default ?? "");
    const hint = prop.description || (SECRET.test(name) ? "Left empty: the stored one is kept." : "");
    let control;
    if (prop.enum) {
      control = h("select", { name }, (required.has(name) ? [] : [h("option", { value: "" }, "—")]),
        prop.enum.map((v) => h("option", { value: v, selected: String(v) === String(value) }, String(v))));
    } else if (prop.type === "boolean") {
      out.push(checkbox(name, values[name] ?? prop.default, label(name, prop)));
      continue;
    } else if (prop.type === "integer" || prop.type === "number") {
      control = h("input", { type: "number", name, value, min: prop.minimum, max: prop.maximum, step: prop.type === "integer" ? 1 : "any" });
    } else if (prop.type === "array") {
      control = h("input", { name, value: Array.isArray(value) ? value.join(", ") : value, dataset: { list: "1" } });
    } else {
      const secret = SECRET.test(name) || prop.format === "password" || prop.writeOnly;
      control = h("input", { name, type: secret ? "password" : "text", value: secret ? "" : value,
        autocomplete: secret ? "new-password" : "off", maxlength: prop.maxLength });
    }
    control.required = required.has(name) && !SECRET.test(name) ? true : false;
    control.dataset.type = prop.type || "string";
    out.push(field(label(name, prop), control, hint));
  }
  return out;
}

// The body from a form built by schemaFields: empty fields are left out.
export function schemaBody(formEl) {
  const body = {};
  for (const el of formEl.querySelectorAll("input[name], select[name], textarea[name]")) {
    if (el.type === "checkbox") { body[el.name] = el.checked; continue; }
    const v = el.value.trim();
    if (v === "") continue;
    const type = el.dataset.type;
    if (type === "integer" || type === "number") body[el.name] = Number(v);
    else if (el.dataset.list) body[el.name] = v.split(",").map((s) => s.trim()).filter(Boolean);
    else body[el.name] = el.value;
  }
  return body;
}

function schemaForm(schema, values, submitText, onSubmit) {
  const err = notice();
  const f = h("form", { class: "form" }, schemaFields(schema, values), err,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, submitText)));
  f.addEventListener("submit", (ev) => {
    ev.preventDefault();
    attempt(err, () => onSubmit(schemaBody(f), f, err), f.querySelector("button[type=submit]"));
  });
  return f;
}

function shown(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string" && /^\d{4}-\d\d-\d\dT/.test(value)) return when(value);
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

async function formSection(s, box) {
  const values = await api.get(s.path);
  const status = h("dl", { class: "facts" }, Object.entries(values).filter(([k]) => /_set$|status/.test(k))
    .map(([k, v]) => [h("dt", {}, label(k, {})), h("dd", {}, shown(v))]));
  const f = schemaForm(s.input_schema, values, "Save", async (body) => {
    await (s.method === "PUT" ? api.put(s.path, body) : api.post(s.path, body));
    toast(`${s.title}: saved.`);
    await draw(s, box);
  });
  const extra = s.delete ? button("Remove", async () => {
    if (await confirmDialog(`Remove your ${s.title} settings?`, "Remove")) {
      await attempt(f.querySelector(".notice"), async () => { await api.del(s.path); await draw(s, box); });
    }
  }, { class: "danger" }) : null;
  return [status, f, extra];
}

async function listSection(s, box) {
  const rows = await api.get(s.path);
  const key = s.remove ? (s.remove.match(/\{(\w+)/) || [])[1] : null;
  const cols = s.columns.length ? s.columns : [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => !/^(user_id)$/.test(c));
  const columns = cols.map((c) => [label(c, {}), (r) => shown(r[c])]);
  if (key) {
    columns.push(["", (r) => button("Remove", async () => {
      if (await confirmDialog(`Remove ${r[key]}?`, "Remove")) {
        await attempt(null, async () => { await api.del(s.remove.replace(`{${key}}`, encodeURIComponent(r[key]))); await draw(s, box); });
      }
    }, { class: "danger" })]);
  }
  const add = s.input_schema ? h("details", { class: "add" }, h("summary", {}, "Add"),
    schemaForm(s.input_schema, {}, "Add", async (body) => { await api.post(s.path, body); toast(`${s.title}: added.`); await draw(s, box); })) : null;
  return [table(columns, rows, "None yet."), add];
}

async function actionSection(s) {
  const out = h("div", { class: "action-result", "aria-live": "polite" });
  const f = schemaForm(s.input_schema || {}, {}, s.label || "Run", async (body) => {
    const answer = s.method === "GET" ? await api.get(s.path + query(body)) : await api.post(s.path, body);
    fill(out, h("dl", { class: "facts" }, Object.entries(answer).map(([k, v]) => [h("dt", {}, label(k, {})), h("dd", {}, shown(v))])));
  });
  return [f, out];
}

async function draw(s, box) {
  const err = notice();
  try {
    const body = s.kind === "form" ? await formSection(s, box) : s.kind === "list" ? await listSection(s, box) : await actionSection(s);
    fill(box, h("h3", {}, s.title), h("div", {}, s.description ? h("p", { class: "muted" }, s.description) : null, body));
  } catch (e) {
    err.show(e.message);
    fill(box, h("h3", {}, s.title), err);
  }
}

// Draw every panel with the sections chosen by `keep` (e.g. admin sections only).
export async function pluginPanels(target, keep) {
  const panels = await api.get("/api/ui/panels");
  const out = [];
  for (const p of panels) {
    const sections = p.sections.filter(keep);
    if (!sections.length) continue;
    const el = h("section", { class: "panel", dataset: { panel: p.id } }, h("h2", {}, p.title),
      p.description ? h("p", { class: "muted" }, p.description) : null);
    for (const s of sections) {
      const box = h("div", { class: "panel-section" });
      el.append(box);
      draw(s, box);
    }
    out.push(el);
  }
  fill(target, ...(out.length ? out : [h("p", { class: "muted" }, "No plugin offers settings here.")]));
}
