// The audit log with the API's filters and paging (a user sees their own entries).

import { api, query } from "../api.js";
import { h, when, fill } from "../dom.js";
import { isAdmin } from "../session.js";
import { page, field, input, checkbox, table, badge, notice, attempt, pager } from "../ui.js";

const PER_PAGE = 50;
const FILTERS = ["tool_name", "session_id", "task_id", "run_id"];

function toIso(local) {
  return local ? new Date(local).toISOString() : "";
}

export async function auditPage(view) {
  const err = notice();
  const results = h("div");
  let pageNo = 1;
  const inputs = {
    start: input("start", { type: "datetime-local" }),
    end: input("end", { type: "datetime-local" }),
    ...Object.fromEntries(FILTERS.map((n) => [n, input(n, { autocomplete: "off" })])),
  };
  if (isAdmin()) inputs.user_id = input("user_id", { autocomplete: "off" });
  const confirmed = checkbox("confirmed_only", false, "Only confirmed calls");
  const filters = h("form", { class: "filters" },
    field("From", inputs.start), field("Until", inputs.end),
    FILTERS.map((n) => field(n.replace("_", " "), inputs[n])),
    inputs.user_id ? field("user id", inputs.user_id) : null,
    confirmed, h("button", { type: "submit", class: "primary" }, "Filter"));
  filters.addEventListener("submit", (ev) => { ev.preventDefault(); pageNo = 1; attempt(err, draw); });
  view.append(page("Audit log",
    h("p", { class: "muted" }, isAdmin() ? "Every user's tool calls, denials and admin actions." : "Your own tool calls and denials."),
    filters, err, results));
  async function draw() {
    const params = { page: pageNo, per_page: PER_PAGE, start: toIso(inputs.start.value), end: toIso(inputs.end.value) };
    for (const n of [...FILTERS, "user_id"]) if (inputs[n]) params[n] = inputs[n].value.trim();
    if (confirmed.querySelector("input").checked) params.confirmed_only = "true";
    const data = await api.get(`/api/audit${query(params)}`);
    fill(results, table([
      ["When", (e) => when(e.created_at)],
      ["User", (e) => e.username || ""],
      ["What", (e) => h("span", {}, badge(e.kind), " ", e.action)],
      ["Tool", (e) => e.tool_name || ""],
      ["Decision", (e) => e.decision ? badge(e.decision, e.decision === "allow" ? "ok" : "bad") : ""],
      ["Summary", (e) => e.summary],
    ], data.entries, "No entries match."), pager(data.total, pageNo, PER_PAGE, (p) => { pageNo = p; attempt(err, draw); }));
  }
  await attempt(err, draw);
}
