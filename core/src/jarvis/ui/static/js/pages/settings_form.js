// A card for one runtime-settings section: fields from the current values' types, and only the
// fields changed are sent (each POST is a partial change).

import { api } from "../api.js";
import { h } from "../dom.js";
import { field, checkbox, form, toast } from "../ui.js";

const label = (name) => name.charAt(0).toUpperCase() + name.slice(1).replace(/_/g, " ");

export async function settingsForm(title, path, { only = null, choices = () => ({}) } = {}) {
  const values = await api.get(path);
  const options = choices(values);
  const names = (only || Object.keys(values)).filter((n) => n in values || (only && only.includes(n)));
  const controls = names.map((name) => {
    const v = values[name];
    if (typeof v === "boolean") return checkbox(name, v, label(name));
    if (options[name]) {
      return field(label(name), h("select", { name }, options[name].map((o) => h("option", { value: o, selected: o === v }, o))));
    }
    const numeric = typeof v === "number";
    return field(label(name), h("input", { name, type: numeric ? "number" : "text", value: v ?? "", dataset: { numeric: numeric ? "1" : "" } }),
      v === null ? "Empty: the default." : "");
  });
  const slug = path.split("/").pop();
  const f = form(controls, async (data, el) => {
    const changes = {};
    for (const name of names) {
      const control = el.elements[name];
      let next;
      if (control.type === "checkbox") next = control.checked;
      else if (control.dataset.numeric) next = control.value === "" ? null : Number(control.value);
      else next = control.value === "" ? null : control.value;
      if (next !== values[name]) changes[name] = next;
    }
    if (!Object.keys(changes).length) { toast("Nothing changed."); return; }
    await api.post(path, changes);
    Object.assign(values, changes);
    toast(`${title}: saved.`);
  }, "Save");
  return h("section", { class: "card", id: `settings-${slug}` }, h("h2", {}, title), f);
}
