// The single-page interface: a hash router (#/chat, #/agents/ID, ...) over the REST API.

import { api } from "./api.js";
import { h, clear } from "./dom.js";
import { session, loadUser, isAdmin, installAuthHandlers } from "./session.js";
import { ROUTES, NAV } from "./pages/index.js";

const view = document.getElementById("view");
const nav = document.getElementById("nav");
let cleanup = null;

function current() {
  const raw = location.hash.replace(/^#/, "") || "/chat";
  const [path, qs] = raw.split("?");
  return { path, params: new URLSearchParams(qs || "") };
}

export function go(path) {
  if (location.hash === `#${path}`) render();
  else location.hash = path;
}

function match(path) {
  for (const route of ROUTES) {
    const m = path.match(route.pattern);
    if (m) return { route, args: m.slice(1).map((a) => (a === undefined ? undefined : decodeURIComponent(a))) };
  }
  return null;
}

function drawNav() {
  clear(nav);
  if (!session.user) return;
  const { path } = current();
  for (const [label, href, admin] of NAV) {
    if (admin && !isAdmin()) continue;
    const active = path === href || path.startsWith(href + "/");
    nav.append(h("a", { href: `#${href}`, class: active ? "active" : "", "aria-current": active ? "page" : false }, label));
  }
  nav.append(h("button", { type: "button", class: "linklike", on: { click: logout } },
    `Log out ${session.user.username}`));
}

async function logout() {
  try { await api.post("/api/auth/logout"); } catch { /* the session may be gone already */ }
  session.user = null;
  go("/login");
}

async function render() {
  if (cleanup) { try { cleanup(); } catch { /* a page's teardown must not block the next */ } cleanup = null; }
  const { path, params } = current();
  const found = match(path);
  document.body.classList.remove("nav-open");
  if (!found) {
    clear(view).append(h("section", { class: "page" }, h("h1", {}, "Page not found"),
      h("p", {}, "There is no page at this address. "), h("a", { href: "#/chat" }, "Go to the chat")));
    return;
  }
  const { route, args } = found;
  if (route.access !== "anon" && !session.user && !(await loadUser())) {
    go(`/login?next=${encodeURIComponent(path)}`);
    return;
  }
  drawNav();
  clear(view);
  if (route.access === "admin" && !isAdmin()) {
    view.append(h("section", { class: "page refused" }, h("h1", {}, "Administrators only"),
      h("p", {}, "This page is for administrators. Your account cannot open it.")));
    return;
  }
  document.title = `${route.title} · Jarvis`;
  try {
    cleanup = (await route.render(view, { args, params, go, refreshNav: drawNav })) || null;
  } catch (err) {
    view.append(h("p", { class: "notice error", role: "alert" }, err.message || String(err)));
  }
}

async function start() {
  installAuthHandlers(() => {
    const { path } = current();
    if (!["/login", "/setup"].includes(path)) go(`/login?next=${encodeURIComponent(path)}&expired=1`);
  });
  document.getElementById("menu-toggle").addEventListener("click", (ev) => {
    const open = document.body.classList.toggle("nav-open");
    ev.currentTarget.setAttribute("aria-expanded", String(open));
  });
  window.addEventListener("hashchange", render);
  // both at once: a returning user should not wait for two round trips in a row
  const [setup] = await Promise.all([api.get("/api/setup").catch(() => null), loadUser()]);
  if (setup?.needed && current().path !== "/setup") { go("/setup"); return; }
  await render();
}

start();
