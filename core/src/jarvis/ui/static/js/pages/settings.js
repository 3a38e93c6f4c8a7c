// Settings for everyone: profile, password, API keys, MFA enrolment with the QR code, and the
// per-user settings plugins bring.

import { api } from "../api.js";
import { h, when, fill } from "../dom.js";
import { session, loadUser } from "../session.js";
import { page, field, input, form, table, button, notice, attempt, confirmDialog, toast } from "../ui.js";
import { pluginPanels } from "./panels.js";

function profile() {
  const u = session.user;
  return h("section", { class: "card", id: "profile" }, h("h2", {}, "Profile"),
    h("dl", { class: "facts" }, h("dt", {}, "User name"), h("dd", {}, u.username),
      h("dt", {}, "Role"), h("dd", {}, u.role),
      h("dt", {}, "Two-step verification"), h("dd", { class: "mfa-state" }, u.mfa_enabled ? "on" : "off")));
}

function password() {
  const f = form([
    field("Current password", input("current_password", { type: "password", required: true, autocomplete: "current-password" })),
    field("New password", input("new_password", { type: "password", required: true, autocomplete: "new-password" })),
  ], async (data, el) => {
    await api.post("/api/my/password", { current_password: data.get("current_password"), new_password: data.get("new_password") });
    el.reset();
    toast("Password changed. Your other sessions have ended.");
  }, "Change password");
  return h("section", { class: "card", id: "password" }, h("h2", {}, "Password"), f);
}

function apiKeys() {
  const box = h("div");
  const err = notice();
  const shown = h("div", { class: "new-key", "aria-live": "polite" });
  const draw = async () => {
    const keys = await api.get("/api/my/api-keys");
    fill(box, table([
      ["Name", (k) => k.name], ["Starts with", (k) => h("code", {}, k.prefix)],
      ["Created", (k) => when(k.created_at)], ["Last used", (k) => when(k.last_used_at)],
      ["", (k) => button("Revoke", async () => {
        if (await confirmDialog(`Revoke the key ${k.name}? It stops working at once.`, "Revoke")) {
          await attempt(err, async () => { await api.del(`/api/my/api-keys/${k.id}`); await draw(); });
        }
      }, { class: "danger" })],
    ], keys, "No API keys."));
  };
  const f = form([field("Name of a new key", input("name", { required: true, maxlength: 100 }))], async (data, el) => {
    const made = await api.post("/api/my/api-keys", { name: data.get("name").trim() });
    el.reset();
    fill(shown, h("p", {}, "Your new key (shown only this once):"), h("code", { class: "secret" }, made.key));
    await draw();
  }, "Create key");
  attempt(err, draw);
  return h("section", { class: "card", id: "api-keys" }, h("h2", {}, "API keys"), err, box, f, shown);
}

function mfa(redraw) {
  const err = notice();
  const area = h("div");
  const on = session.user.mfa_enabled;
  if (on) {
    area.append(form([h("p", {}, "Two-step verification is on. To switch it off, enter a current code."),
      field("Authenticator code", input("code", { required: true, inputmode: "numeric", autocomplete: "one-time-code" }))],
    async (data) => {
      await api.post("/api/my/mfa-disable", { code: data.get("code").trim() });
      await loadUser(); toast("Two-step verification is off."); redraw();
    }, "Switch off"));
  } else {
    area.append(h("p", {}, "Protect your account with codes from an authenticator app."),
      button("Set up two-step verification", (ev) => attempt(err, async () => {
        const enrol = await api.post("/api/my/mfa-setup");
        const secret = new URL(enrol.provisioning_uri).searchParams.get("secret") || "";
        fill(area, 
          h("p", {}, "Scan this code with your authenticator app, then enter the code it shows."),
          h("img", { class: "qr", src: enrol.qr_code, alt: "QR code for your authenticator app", width: 220, height: 220 }),
          h("p", {}, "Or type this key: ", h("code", { class: "secret mfa-secret" }, secret)),
          form([field("Code from the app", input("code", { required: true, inputmode: "numeric", autocomplete: "one-time-code" }))],
            async (data) => {
              await api.post("/api/my/mfa-confirm", { code: data.get("code").trim() });
              await loadUser(); toast("Two-step verification is on."); redraw();
            }, "Confirm"));
      }, ev.currentTarget), { class: "primary" }));
  }
  return h("section", { class: "card", id: "mfa" }, h("h2", {}, "Two-step verification"), err, area);
}

export async function settingsPage(view) {
  const plugins = h("div", { class: "panels" });
  const body = h("div");
  const draw = () => {
    fill(body, profile(), password(), mfa(draw), apiKeys(),
      h("section", { class: "card", id: "plugin-settings" }, h("h2", {}, "Plugin settings"), plugins));
  };
  draw();
  view.append(page("Settings", body));
  await attempt(null, () => pluginPanels(plugins, (s) => !s.admin));
}
