// The models the providers offer, with capability badges and prices.

import { api } from "../api.js";
import { h } from "../dom.js";
import { page, table, badge } from "../ui.js";

const price = (p) => (p === null || p === undefined ? "—" : `$${Number(p).toFixed(2)}`);

export async function modelsPage(view) {
  const [models, listing] = await Promise.all([api.get("/api/models/info"), api.get("/api/models")]);
  view.append(page("Models",
    h("p", {}, "Prices are per million tokens. The default model is ", h("code", {}, listing.default || "not set"), "."),
    table([
      ["Model", (m) => h("span", {}, h("strong", {}, m.name || m.id), h("br"), h("code", {}, m.id))],
      ["Provider", (m) => m.provider],
      ["Context", (m) => m.context_length ? `${m.context_length.toLocaleString()} tokens` : "—"],
      ["Input", (m) => price(m.pricing?.prompt)],
      ["Output", (m) => price(m.pricing?.completion)],
      ["Can", (m) => h("span", { class: "badges" },
        m.capabilities?.tools ? badge("tools", "ok") : null,
        m.capabilities?.vision ? badge("vision", "ok") : null,
        m.capabilities?.online ? badge("online", "ok") : null,
        m.id === listing.default ? badge("default") : null)],
    ], models, "No models: no provider is configured, or the providers cannot be reached.")));
}
