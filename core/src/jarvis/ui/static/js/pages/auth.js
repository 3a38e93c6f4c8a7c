// First-run setup, login and the authenticator-code step.

import { api } from "../api.js";
import { h, fill } from "../dom.js";
import { session, loadUser } from "../session.js";
import { page, field, input, form, notice } from "../ui.js";

export async function setupPage(view, { go }) {
  const state = await api.get("/api/setup");
  if (!state.needed) {
    view.append(page("First run", h("p", {}, "Setup is done: an administrator exists. "),
      h("a", { href: "#/login" }, "Log in")));
    return;
  }
  const f = form([
    h("p", {}, "Create the first administrator. The setup token is printed by ",
      h("code", {}, "jarvis serve"), " when it starts on an empty database."),
    field("Setup token", input("token", { required: true, autocomplete: "off" })),
    field("User name", input("username", { required: true, autocomplete: "username" })),
    field("Password", input("password", { type: "password", required: true, autocomplete: "new-password" }),
      "At least 12 characters."),
    field("Repeat the password", input("password2", { type: "password", required: true, autocomplete: "new-password" })),
  ], async (data) => {
    if (data.get("password") !== data.get("password2")) throw new Error("The two passwords differ.");
    await api.post("/api/setup", {
      token: data.get("token").trim(), username: data.get("username").trim(), password: data.get("password"),
    });
    await api.post("/api/auth/login", { username: data.get("username").trim(), password: data.get("password") });
    await loadUser();
    go("/settings");
  }, "Create administrator");
  view.append(page("Welcome to Jarvis", f));
}

export async function loginPage(view, { params, go }) {
  const next = params.get("next") || "/chat";
  if (session.user && !params.get("expired")) { go(next); return; }
  const info = notice();
  if (params.get("expired")) info.show("Your session has ended. Please log in again.", "info");
  const codeStep = (challenge) => {
    const f = form([
      h("p", {}, "Enter the 6-digit code from your authenticator app."),
      field("Authenticator code", input("code", { required: true, inputmode: "numeric",
        autocomplete: "one-time-code", pattern: "[0-9]{6,10}", autofocus: true })),
    ], async (data) => {
      await api.post("/api/auth/mfa", { challenge, code: data.get("code").trim() });
      await loadUser();
      go(next);
    }, "Verify");
    fill(view, page("Two-step verification", f));
    f.querySelector("input").focus();
  };
  const f = form([
    info,
    field("User name", input("username", { required: true, autocomplete: "username", autofocus: true })),
    field("Password", input("password", { type: "password", required: true, autocomplete: "current-password" })),
  ], async (data) => {
    const answer = await api.post("/api/auth/login", {
      username: data.get("username").trim(), password: data.get("password"),
    });
    if (answer.mfa_required) { codeStep(answer.challenge); return; }
    await loadUser();
    go(next);
  }, "Log in");
  view.append(page("Log in", f));
}
