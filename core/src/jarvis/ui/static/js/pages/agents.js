// Agents: the list, create and edit (with cron help and fire preview), and the detail page
// with run history, tokens, run now and stop.

import { api } from "../api.js";
import { h, when, fill } from "../dom.js";
import { render as markdown } from "../markdown.js";
import { page, field, input, select, checkbox, form, table, badge, button, notice, attempt, confirmDialog, toast } from "../ui.js";
import { scheduleField } from "./schedule.js";

const MODES = [["combined", "Persona and agent prompt"], ["agent_only", "Agent prompt only"], ["user_message", "Prompt as the first user message"]];

export async function agentsPage(view) {
  const agents = await api.get("/api/agents");
  view.append(page("Agents",
    h("p", {}, h("a", { href: "#/agents/new", class: "button primary" }, "New agent")),
    table([
      ["Name", (a) => h("a", { href: `#/agents/${a.id}` }, a.name)],
      ["Schedule", (a) => a.schedule ? h("code", {}, a.schedule) : h("span", { class: "muted" }, "by hand")],
      ["Next run", (a) => when(a.next_run_at)],
      ["Model", (a) => a.model || "default"],
      ["State", (a) => badge(a.enabled ? "enabled" : "disabled", a.enabled ? "ok" : "")],
    ], agents, "No agents yet. Create one to run a prompt on a schedule or by hand.")));
}

function lines(text) {
  return text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
}

export async function agentEditPage(view, { args, go }) {
  const id = args[0];
  const agent = id ? (await api.get(`/api/agents/${encodeURIComponent(id)}`)).agent : {};
  let models = [];
  try { models = (await api.get("/api/models")).models; } catch { /* the model field stays free text */ }
  const f = form([
    field("Name", input("name", { value: agent.name || "", required: true })),
    field("Prompt", h("textarea", { name: "prompt", rows: 6, required: true }, agent.prompt || "")),
    field("Prompt mode", select("prompt_mode", MODES, agent.prompt_mode || "combined")),
    field("Model", select("model", [["", "Default model"], ...models.map((m) => [m, m])], agent.model || "")),
    scheduleField(agent.schedule),
    field("Allowed tools", input("allowed_tools", { value: (agent.allowed_tools || []).join(", ") }),
      "Tool names or groups, separated by commas; empty: every tool allowed in headless runs."),
    field("Tool-call limit", input("max_tool_calls", { type: "number", min: 0, max: 1000, value: agent.max_tool_calls ?? "" }),
      "Empty: the server's limit."),
    checkbox("enabled", id ? agent.enabled : true, "Enabled"),
  ], async (data) => {
    const tools = lines(data.get("allowed_tools") || "");
    const limit = data.get("max_tool_calls");
    const body = {
      name: data.get("name").trim(), prompt: data.get("prompt"), prompt_mode: data.get("prompt_mode"),
      model: data.get("model") || null, schedule: data.get("schedule").trim() || null,
      allowed_tools: tools.length ? tools : null, enabled: data.get("enabled") === "on",
      max_tool_calls: limit === "" ? null : Number(limit),
    };
    if (id) { await api.put(`/api/agents/${encodeURIComponent(id)}`, body); go(`/agents/${id}`); }
    else { const made = await api.post("/api/agents", body); go(`/agents/${made.id}`); }
    toast("Agent saved.");
  }, id ? "Save agent" : "Create agent");
  view.append(page(id ? `Edit ${agent.name}` : "New agent", f));
}

async function showRun(target, runId) {
  const detail = await api.get(`/api/runs/${encodeURIComponent(runId)}`);
  fill(target, h("div", { class: "run-detail" },
    h("p", {}, `Status ${detail.run.status} · ${detail.usage.input_tokens} tokens in, ${detail.usage.output_tokens} out · ${detail.tool_calls.length} tool call(s)`),
    detail.run.error ? h("p", { class: "notice error" }, detail.run.error) : null,
    detail.tool_calls.map((c) => h("div", { class: `tool ${c.success ? "ok" : "failed"}` },
      h("span", { class: "tool-name" }, c.tool_name), h("code", { class: "tool-args" }, JSON.stringify(c.arguments)),
      h("span", { class: "tool-state" }, c.decision), h("div", { class: "tool-result" }, c.summary))),
    h("div", { class: "msg assistant" }, h("div", { class: "who" }, "Answer"),
      h("div", { class: "body" }, markdown(detail.final_text || "(no answer)")))));
}

export async function agentPage(view, { args, go }) {
  const id = encodeURIComponent(args[0]);
  const err = notice();
  const body = h("div");
  view.append(page("Agent", err, body));
  let drawn = 0;
  let shownRun = null; // the run whose detail is open stays open across refreshes
  const draw = async () => {
    const mine = ++drawn;
    const d = await api.get(`/api/agents/${id}`);
    if (mine !== drawn) return; // a later refresh answers for the page
    const a = d.agent;
    const runs = h("div", { class: "runs" });
    const show = async (runId) => { shownRun = runId; await showRun(runs, runId); };
    fill(body, 
      h("h2", {}, a.name),
      h("dl", { class: "facts" },
        h("dt", {}, "Schedule"), h("dd", {}, a.schedule ? h("code", {}, a.schedule) : "by hand only"),
        h("dt", {}, "Next run"), h("dd", {}, when(a.next_run_at)),
        h("dt", {}, "Model"), h("dd", {}, a.model || "default"),
        h("dt", {}, "Allowed tools"), h("dd", {}, a.allowed_tools ? a.allowed_tools.join(", ") : "every tool allowed in headless runs"),
        h("dt", {}, "State"), h("dd", {}, a.enabled ? "enabled" : "disabled"),
        h("dt", {}, "Tokens used"), h("dd", { class: "tokens" }, `${d.total_input_tokens} in, ${d.total_output_tokens} out`)),
      h("div", { class: "actions" },
        button("Run now", (ev) => attempt(err, async () => { await api.post(`/api/agents/${id}/run`, {}); toast("Run started."); await draw(); }, ev.currentTarget), { class: "primary" }),
        button("Stop", (ev) => attempt(err, async () => { await api.post(`/api/agents/${id}/stop`); toast("Stop requested."); await draw(); }, ev.currentTarget)),
        button("Refresh", () => attempt(err, draw)),
        h("a", { href: `#/agents/${id}/edit`, class: "button" }, "Edit"),
        button("Delete", async () => {
          if (await confirmDialog(`Delete the agent ${a.name}?`)) attempt(err, async () => { await api.del(`/api/agents/${id}`); go("/agents"); });
        }, { class: "danger" })),
      h("h3", {}, "Run history"),
      table([
        ["Started", (r) => when(r.started_at || r.created_at)],
        ["Status", (r) => badge(r.status, r.status === "done" ? "ok" : r.status === "failed" ? "bad" : "")],
        ["Tokens", (r) => `${r.input_tokens} / ${r.output_tokens}`],
        ["Tool calls", (r) => String(r.tool_calls)],
        ["", (r) => button("Show", () => attempt(err, () => show(r.id)), { class: "linklike" })],
      ], d.runs, "No runs yet."),
      runs);
    if (shownRun) await attempt(err, () => showRun(runs, shownRun));
  };
  await draw();
}
