// A cron schedule field with help and a preview of its next fire times (from the server).

import { api, query } from "../api.js";
import { h, when, fill } from "../dom.js";
import { field, input } from "../ui.js";

const EXAMPLES = [
  ["0 8 * * *", "every day at 08:00"], ["0 8 * * 1-5", "weekdays at 08:00"],
  ["*/15 * * * *", "every 15 minutes"], ["0 */4 * * *", "every 4 hours"], ["30 18 * * 0", "Sundays at 18:30"],
];

export function scheduleField(value, { optional = true } = {}) {
  const box = input("schedule", { value: value || "", placeholder: "minute hour day month weekday",
    autocomplete: "off", required: !optional, spellcheck: "false" });
  const preview = h("div", { class: "cron-preview", "aria-live": "polite" });
  let timer = null;
  const refresh = async () => {
    const expr = box.value.trim();
    if (!expr) { fill(preview, h("span", { class: "muted" }, optional ? "No schedule: runs only when started by hand." : "")); return; }
    try {
      const p = await api.get(`/api/schedule-preview${query({ schedule: expr, count: 5 })}`);
      fill(preview, h("span", {}, `Next runs (${p.time_zone}):`),
        h("ul", { class: "fires" }, p.next.map((t) => h("li", {}, when(t)))));
    } catch (err) {
      fill(preview, h("span", { class: "notice error" }, err.message));
    }
  };
  box.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(refresh, 300); });
  refresh();
  const help = h("details", { class: "cron-help" }, h("summary", {}, "Cron help"),
    h("p", {}, "Five fields: minute (0-59), hour (0-23), day of month (1-31), month (1-12), weekday (0-6, 0 = Sunday). ",
      h("code", {}, "*"), " means every, ", h("code", {}, "*/n"), " every n, ", h("code", {}, "a-b"), " a range, ",
      h("code", {}, "a,b"), " a list."),
    h("ul", {}, EXAMPLES.map(([expr, text]) => h("li", {},
      h("button", { type: "button", class: "linklike", on: { click: () => { box.value = expr; refresh(); } } }, expr), ` — ${text}`))));
  return field("Schedule (cron)", h("div", {}, box, help, preview));
}
