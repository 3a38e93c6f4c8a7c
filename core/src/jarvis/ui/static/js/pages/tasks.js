// Scheduled tasks: list, create, edit, enable or disable, run now, delete.

import { api } from "../api.js";
import { h, when, fill } from "../dom.js";
import { page, field, input, checkbox, form, table, badge, button, notice, attempt, confirmDialog, toast } from "../ui.js";
import { scheduleField } from "./schedule.js";

function taskForm(task, onSaved) {
  return form([
    field("Name", input("name", { value: task.name || "", required: true })),
    field("Prompt", h("textarea", { name: "prompt", rows: 4, required: true }, task.prompt || "")),
    scheduleField(task.schedule, { optional: false }),
    field("Allowed tools", input("allowed_tools", { value: (task.allowed_tools || []).join(", ") }),
      "Tool names or groups, separated by commas; empty: every tool allowed in headless runs."),
    checkbox("enabled", task.id ? task.enabled : true, "Enabled"),
  ], async (data) => {
    const tools = (data.get("allowed_tools") || "").split(",").map((s) => s.trim()).filter(Boolean);
    const body = { name: data.get("name").trim(), prompt: data.get("prompt"), schedule: data.get("schedule").trim(),
      allowed_tools: tools.length ? tools : null, enabled: data.get("enabled") === "on" };
    if (task.id) await api.put(`/api/tasks/${task.id}`, body);
    else await api.post("/api/tasks", body);
    toast("Task saved.");
    await onSaved();
  }, task.id ? "Save task" : "Create task");
}

export async function tasksPage(view) {
  const err = notice();
  const list = h("div");
  const editor = h("div");
  view.append(page("Scheduled tasks", err, list, h("h2", {}, "New task"), editor));
  const draw = async () => {
    const tasks = await api.get("/api/tasks");
    fill(list, table([
      ["Name", (t) => t.name],
      ["Schedule", (t) => h("code", {}, t.schedule)],
      ["Next run", (t) => when(t.next_run_at)],
      ["State", (t) => badge(t.enabled ? "enabled" : "disabled", t.enabled ? "ok" : "")],
      ["", (t) => h("span", { class: "row-actions" },
        button(t.enabled ? "Disable" : "Enable", () => attempt(err, async () => { await api.post(`/api/tasks/${t.id}/toggle`); await draw(); })),
        button("Run now", () => attempt(err, async () => { await api.post(`/api/tasks/${t.id}/run`); toast("Task started."); })),
        button("Edit", () => fill(editor, h("h3", {}, `Edit ${t.name}`), taskForm(t, reset))),
        button("Delete", async () => {
          if (await confirmDialog(`Delete the task ${t.name}?`)) await attempt(err, async () => { await api.del(`/api/tasks/${t.id}`); await draw(); });
        }, { class: "danger" }))],
    ], tasks, "No scheduled tasks yet."));
  };
  const reset = async () => { fill(editor, taskForm({}, reset)); await draw(); };
  await reset();
}
