// The REST API as the pages use it: JSON in and out, errors as ApiError with a readable message,
// a 401 sends the user to the login page, and a 403 asking for re-authentication asks for the
// password (and a code) and retries once.

export class ApiError extends Error {
  constructor(status, body) {
    super(describe(status, body));
    this.status = status;
    this.body = body || {};
  }
}

// One readable sentence from the API's {"error", "detail"} shape (or from nothing at all).
export function describe(status, body) {
  if (!body || typeof body !== "object") {
    if (status === 0) return "The server cannot be reached. Check your connection and try again.";
    return `The server answered with an error (HTTP ${status}).`;
  }
  let text = body.error ? capital(String(body.error)) : `The server answered HTTP ${status}.`;
  const detail = body.detail;
  if (typeof detail === "string" && detail) text += `: ${detail}`;
  else if (Array.isArray(detail) && detail.length) {
    const fields = detail.filter((d) => d && d.field).map((d) => `${d.field} — ${d.message}`);
    if (fields.length > 1) text += ` (${fields.join("; ")})`;
  }
  return /[.!?]$/.test(text) ? text : text + ".";
}

// "max_tool_calls: ..." names a field: it keeps its spelling.
function capital(s) { return /^[\w.]+:/.test(s) ? s : s.charAt(0).toUpperCase() + s.slice(1); }

let onUnauthenticated = () => {};
let reauthenticate = null;
export function setAuthHandlers({ unauthenticated, reauth }) {
  onUnauthenticated = unauthenticated;
  reauthenticate = reauth;
}

const QUIET_401 = ["/api/auth/login", "/api/auth/mfa", "/api/auth/me", "/api/setup", "/api/auth/reauth"];

export async function request(method, path, body, { raw = false, retried = false } = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch(path, init);
  } catch {
    throw new ApiError(0, null);
  }
  if (resp.ok) {
    if (raw) return resp;
    const type = resp.headers.get("Content-Type") || "";
    return type.includes("json") ? resp.json() : resp.text();
  }
  let data = null;
  try { data = await resp.json(); } catch { data = null; }
  if (resp.status === 401 && !QUIET_401.some((p) => path.startsWith(p))) {
    onUnauthenticated();
  }
  if (resp.status === 403 && !retried && data && data.detail && data.detail.reauth && reauthenticate) {
    if (await reauthenticate()) return request(method, path, body, { raw, retried: true });
  }
  throw new ApiError(resp.status, data);
}

export const api = {
  get: (path, opts) => request("GET", path, undefined, opts),
  post: (path, body = {}, opts) => request("POST", path, body, opts),
  put: (path, body = {}, opts) => request("PUT", path, body, opts),
  patch: (path, body = {}, opts) => request("PATCH", path, body, opts),
  del: (path, opts) => request("DELETE", path, undefined, opts),
};

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== null && v !== undefined) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}
