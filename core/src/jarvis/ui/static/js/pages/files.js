// My files: browse folders, download a file or a folder as zip, delete, upload.

import { api, query, request } from "../api.js";
import { h, bytes, fill } from "../dom.js";
import { page, table, button, notice, attempt, confirmDialog, toast } from "../ui.js";

const join = (folder, name) => `${folder.replace(/\/$/, "")}/${name}`;

export async function filesPage(view, { params, go }) {
  const folder = params.get("path") || "/";
  const err = notice();
  const list = h("div");
  const picker = h("input", { type: "file", name: "file", multiple: true, "aria-label": "Files to upload" });
  const upload = h("form", { class: "upload" }, picker, h("button", { type: "submit" }, "Upload"));
  upload.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (!picker.files.length) { err.show("Choose one or more files first."); return; }
    attempt(err, async () => {
      const data = new FormData();
      for (const f of picker.files) data.append("file", f, f.name);
      await request("POST", `/api/my/files${query({ path: folder })}`, data);
      toast("Uploaded.");
      picker.value = "";
      await draw();
    }, upload.querySelector("button"));
  });
  const parts = folder.split("/").filter(Boolean);
  const crumbs = h("nav", { class: "crumbs", "aria-label": "Folder" },
    h("a", { href: "#/files" }, "My files"),
    parts.map((p, i) => [" / ", h("a", { href: `#/files?path=${encodeURIComponent("/" + parts.slice(0, i + 1).join("/"))}` }, p)]));
  const zip = h("a", { class: "button", href: `/api/my/files/download-zip${query({ path: folder })}`, download: "" }, "Download this folder as zip");
  view.append(page("My files", crumbs, err, h("div", { class: "actions" }, zip, upload), list));
  async function draw() {
    const data = await api.get(`/api/my/files${query({ path: folder })}`);
    fill(list, table([
      ["Name", (e) => e.type === "dir"
        ? h("a", { href: `#/files?path=${encodeURIComponent(join(folder, e.name))}` }, `📁 ${e.name}`)
        : h("span", {}, e.name)],
      ["Size", (e) => (e.type === "file" ? bytes(e.size) : "")],
      ["", (e) => h("span", { class: "row-actions" },
        e.type === "file"
          ? h("a", { class: "button", href: `/api/my/files/download${query({ path: join(folder, e.name) })}`, download: e.name }, "Download")
          : h("a", { class: "button", href: `/api/my/files/download-zip${query({ path: join(folder, e.name) })}`, download: "" }, "Zip"),
        button("Delete", async () => {
          if (await confirmDialog(`Delete ${e.name}${e.type === "dir" ? " and everything in it" : ""}?`)) {
            await attempt(err, async () => { await api.del(`/api/my/files${query({ path: join(folder, e.name) })}`); await draw(); });
          }
        }, { class: "danger" }))],
    ], data.entries, "This folder is empty."));
  }
  try {
    await draw();
  } catch (e) {
    err.show(e.message);
    if (e.status === 404 && folder !== "/") fill(list, button("Back to my files", () => go("/files")));
  }
}
