// Administration: pause and the queue, runtime settings, credentials, users (with MFA set-up
// and disable), plugins and their admin panels.

import { api, query } from "../api.js";
import { h, when, fill } from "../dom.js";
import { session } from "../session.js";
import { page, field, input, select, checkbox, form, table, badge, button, notice, attempt, confirmDialog, toast, dialog } from "../ui.js";
import { pluginPanels } from "./panels.js";
import { settingsForm } from "./settings_form.js";

const TABS = [["overview", "Overview"], ["settings", "Settings"], ["users", "Users"], ["credentials", "Credentials"], ["plugins", "Plugins"]];

async function overview(box) {
  const err = notice();
  const draw = async () => {
    const [status, q, plugins] = await Promise.all([api.get("/api/status"), api.get("/api/queue"), api.get("/api/plugins")]);
    fill(box, err,
      h("section", { class: "card", id: "run-state" }, h("h2", {}, "Runs"),
        h("p", { class: "run-state" }, status.paused ? badge("paused", "bad") : badge("running", "ok"), ` ${status.agent_name}`),
        h("dl", { class: "facts queue" }, h("dt", {}, "Running"), h("dd", {}, String(q.running)),
          h("dt", {}, "Waiting"), h("dd", {}, String(q.queued)), h("dt", {}, "At most at once"), h("dd", {}, String(q.max_concurrent))),
        h("div", { class: "actions" },
          status.paused
            ? button("Resume", (ev) => attempt(err, async () => { await api.post("/api/resume"); toast("Resumed."); await draw(); }, ev.currentTarget), { class: "primary" })
            : button("Pause", (ev) => attempt(err, async () => { await api.post("/api/pause"); toast("Paused: no new run starts."); await draw(); }, ev.currentTarget), { class: "danger" }),
          button("Refresh", () => attempt(err, draw)))),
      h("section", { class: "card" }, h("h2", {}, "Plugins"), table([
        ["Plugin", (p) => h("span", {}, h("strong", {}, p.name), ` ${p.version}`)],
        ["Status", (p) => badge(p.status, p.status === "ok" ? "ok" : "bad")],
        ["Tools", (p) => p.tools.join(", ")],
        ["Triggers", (p) => p.triggers.map((t) => `${t.name}: ${t.state}${t.last_error ? ` (${t.last_error})` : ""}`).join("; ")],
      ], plugins)));
  };
  await draw();
}

async function settings(box) {
  const err = notice();
  const prune = form([field("Delete entries older than (days)", input("older_than_days", { type: "number", min: 1, required: true }))],
    async (data) => {
      if (!(await confirmDialog("Delete these audit entries for good?"))) return;
      const r = await api.del(`/api/audit${query({ older_than_days: data.get("older_than_days") })}`);
      toast(`${r.deleted} entries deleted.`);
    }, "Delete old entries");
  fill(box, err,
    await settingsForm("Limits", "/api/settings/limits"),
    await settingsForm("Security switches", "/api/settings/security"),
    await settingsForm("Model provider", "/api/settings/provider", { only: ["default_provider", "default_model"], choices: (v) => ({ default_provider: v.available_providers }) }),
    await settingsForm("General", "/api/settings/general"),
    await settingsForm("Scheduler", "/api/settings/scheduler"),
    await settingsForm("Audit retention", "/api/settings/audit-retention"),
    h("section", { class: "card" }, h("h2", {}, "Prune the audit log"), prune));
}

async function users(box) {
  const err = notice();
  const list = h("div");
  const mfaArea = h("div");
  const add = form([
    field("User name", input("username", { required: true, autocomplete: "off" })),
    field("Password", input("password", { type: "password", required: true, autocomplete: "new-password" })),
    field("Role", select("role", [["user", "user"], ["admin", "admin"]], "user")),
  ], async (data, el) => {
    await api.post("/api/admin/users", { username: data.get("username").trim(), password: data.get("password"), role: data.get("role") });
    el.reset(); toast("User added."); await draw();
  }, "Add user");
  const draw = async () => {
    const all = await api.get("/api/admin/users");
    fill(list, table([
      ["User", (u) => u.username],
      ["Role", (u) => u.role],
      ["Active", (u) => (u.is_active ? "yes" : "no")],
      ["Two-step", (u) => (u.mfa_enabled ? badge("on", "ok") : badge("off"))],
      ["", (u) => h("span", { class: "row-actions" },
        button(u.role === "admin" ? "Make user" : "Make admin", () => attempt(err, async () => { await api.put(`/api/admin/users/${u.id}`, { role: u.role === "admin" ? "user" : "admin" }); await draw(); })),
        button(u.is_active ? "Disable" : "Enable", () => attempt(err, async () => { await api.put(`/api/admin/users/${u.id}`, { is_active: !u.is_active }); await draw(); })),
        u.mfa_enabled
          ? button("Switch off two-step", () => attempt(err, async () => { await api.post(`/api/admin/users/${u.id}/mfa-disable`); toast("Two-step verification switched off."); await draw(); }))
          : button("Set up two-step", () => attempt(err, async () => {
            const e = await api.post(`/api/admin/users/${u.id}/mfa-setup`);
            fill(mfaArea, h("section", { class: "card" }, h("h3", {}, `Two-step set-up for ${u.username}`),
              h("p", {}, "Give this QR code to the user; their first code confirms it."),
              h("img", { class: "qr", src: e.qr_code, alt: `QR code for ${u.username}`, width: 200, height: 200 })));
            await draw();
          })),
        u.id === session.user.id ? null : button("Delete", async () => {
          if (await confirmDialog(`Delete the user ${u.username} and their data?`)) await attempt(err, async () => { await api.del(`/api/admin/users/${u.id}`); await draw(); });
        }, { class: "danger" }))],
    ], all));
  };
  fill(box, err, h("section", { class: "card" }, h("h2", {}, "Users"), list, mfaArea),
    h("section", { class: "card" }, h("h2", {}, "Add a user"), add));
  await draw();
}

async function credentials(box) {
  const err = notice();
  const list = h("div");
  const add = form([
    field("Key", input("key", { required: true, placeholder: "system:anthropic_api_key", autocomplete: "off" })),
    field("Value", input("value", { type: "password", required: true, autocomplete: "new-password" })),
    field("Description", input("description", {})),
  ], async (data, el) => {
    await api.post("/api/credentials", { key: data.get("key").trim(), value: data.get("value"), description: data.get("description") || "" });
    el.reset(); toast("Credential stored."); await draw();
  }, "Store");
  const draw = async () => {
    const all = await api.get("/api/credentials");
    fill(list, table([
      ["Key", (c) => h("code", {}, c.key)], ["Description", (c) => c.description || ""], ["Changed", (c) => when(c.updated_at)],
      ["", (c) => h("span", { class: "row-actions" },
        button("Reveal", () => attempt(err, async () => {
          const full = await api.get(`/api/credentials/${encodeURIComponent(c.key)}`);
          await dialog(c.key, (done) => h("div", {}, h("code", { class: "secret" }, full.value), h("div", { class: "actions" }, button("Close", () => done(true)))));
        })),
        button("Delete", async () => {
          if (await confirmDialog(`Delete the credential ${c.key}?`)) await attempt(err, async () => { await api.del(`/api/credentials/${encodeURIComponent(c.key)}`); await draw(); });
        }, { class: "danger" }))],
    ], all, "No credentials stored."));
  };
  fill(box, err, h("section", { class: "card" }, h("h2", {}, "Credentials"), list),
    h("section", { class: "card" }, h("h2", {}, "Store a credential"), add));
  await draw();
}

async function plugins(box) {
  await pluginPanels(box, (s) => s.admin);
}

const DRAW = { overview, settings, users, credentials, plugins };

export async function adminPage(view, { args }) {
  const tab = DRAW[args[0]] ? args[0] : "overview";
  const box = h("div", { class: "tab-body" });
  view.append(page("Administration",
    h("nav", { class: "tabs", "aria-label": "Administration" }, TABS.map(([id, label]) =>
      h("a", { href: `#/admin/${id}`, class: id === tab ? "active" : "", "aria-current": id === tab ? "page" : false }, label))),
    box));
  await DRAW[tab](box);
}
