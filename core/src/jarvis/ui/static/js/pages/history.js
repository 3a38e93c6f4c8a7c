// Chat history: resume, rename and delete stored conversations.

import { api, query } from "../api.js";
import { h, when, fill } from "../dom.js";
import { page, table, button, notice, attempt, confirmDialog, dialog, field, input, pager } from "../ui.js";

const PER_PAGE = 25;

export async function historyPage(view, { params, go }) {
  const err = notice();
  const list = h("div");
  view.append(page("Chat history", err, list));
  let pageNo = Number(params.get("page") || 1);
  const draw = async () => {
    const data = await api.get(`/api/conversations${query({ page: pageNo, per_page: PER_PAGE })}`);
    fill(list, table([
      ["Title", (c) => h("a", { href: `#/chat/${c.id}` }, c.title || "(untitled)")],
      ["Started", (c) => when(c.started_at)],
      ["Messages", (c) => String(c.message_count)],
      ["Model", (c) => c.model || ""],
      ["", (c) => h("span", { class: "row-actions" },
        button("Resume", () => go(`/chat/${c.id}`)),
        button("Rename", async () => {
          const title = await dialog("Rename the conversation", (done) => {
            const t = input("title", { value: c.title, required: true, maxlength: 200 });
            const f = h("form", { class: "form" }, field("Title", t), h("div", { class: "actions" },
              h("button", { type: "button", on: { click: () => done(null) } }, "Cancel"),
              h("button", { type: "submit", class: "primary" }, "Rename")));
            f.addEventListener("submit", (ev) => { ev.preventDefault(); done(t.value.trim()); });
            return f;
          });
          if (title) await attempt(err, async () => { await api.patch(`/api/conversations/${c.id}`, { title }); await draw(); });
        }),
        button("Delete", async () => {
          if (await confirmDialog(`Delete “${c.title}”? Its messages are removed.`)) {
            await attempt(err, async () => { await api.del(`/api/conversations/${c.id}`); await draw(); });
          }
        }, { class: "danger" }))],
    ], data.conversations, "No conversations yet."),
    data.total > PER_PAGE ? pager(data.total, pageNo, PER_PAGE, (p) => { pageNo = p; attempt(err, draw); }) : null);
  };
  await draw();
}
