// Who is logged in, and the re-authentication dialog sensitive actions ask for.

import { api, setAuthHandlers } from "./api.js";
import { h } from "./dom.js";
import { dialog, field, input, notice, attempt } from "./ui.js";

export const session = { user: null };

export async function loadUser() {
  try {
    session.user = await api.get("/api/auth/me");
  } catch {
    session.user = null;
  }
  return session.user;
}

export function isAdmin() {
  return session.user?.role === "admin";
}

function reauthDialog() {
  return dialog("Confirm it is you", (done) => {
    const err = notice();
    const pw = input("password", { type: "password", autocomplete: "current-password", required: true });
    const code = input("code", { inputmode: "numeric", autocomplete: "one-time-code", pattern: "[0-9]{6,10}" });
    const f = h("form", { class: "form" },
      h("p", {}, "This action needs your password again."),
      field("Password", pw),
      session.user?.mfa_enabled ? field("Authenticator code", code) : null,
      err,
      h("div", { class: "actions" },
        h("button", { type: "button", on: { click: () => done(false) } }, "Cancel"),
        h("button", { type: "submit", class: "primary" }, "Confirm")));
    f.addEventListener("submit", (ev) => {
      ev.preventDefault();
      attempt(err, async () => {
        const body = { password: pw.value };
        if (session.user?.mfa_enabled) body.code = code.value;
        await api.post("/api/auth/reauth", body);
        done(true);
      });
    });
    return f;
  });
}

export function installAuthHandlers(goLogin) {
  setAuthHandlers({
    unauthenticated: () => { session.user = null; goLogin(); },
    reauth: reauthDialog,
  });
}
