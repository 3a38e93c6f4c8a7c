// Image attachments for models that see images: picked files, previewed through blob: URLs.

import { h, fill } from "../dom.js";

const MAX_BYTES = 5 * 1024 * 1024;

function base64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
    reader.onerror = () => reject(new Error(`Could not read ${file.name}.`));
    reader.readAsDataURL(file);
  });
}

export function attachmentPicker() {
  const input = h("input", { type: "file", accept: "image/png,image/jpeg,image/gif,image/webp", multiple: true, hidden: true, name: "attachments" });
  const preview = h("div", { class: "attachments" });
  let picked = [];
  let urls = [];
  const button = h("button", { type: "button", class: "attach", title: "Attach images", "aria-label": "Attach images" }, "Image");
  button.addEventListener("click", () => input.click());
  const show = () => {
    urls.forEach((u) => URL.revokeObjectURL(u));
    urls = picked.map((f) => URL.createObjectURL(f));
    fill(preview, ...picked.map((f, i) => h("figure", {}, h("img", { src: urls[i], alt: f.name }), h("figcaption", {}, f.name))));
  };
  input.addEventListener("change", () => {
    const files = [...input.files];
    const big = files.find((f) => f.size > MAX_BYTES);
    if (big) fill(preview, h("p", { class: "notice error" }, `${big.name} is over 5 MB.`));
    else { picked = files; show(); }
    input.value = "";
  });
  const wrap = h("span", { class: "attach-wrap" }, button, input);
  return {
    button: wrap,
    preview,
    enable(on) {
      button.disabled = !on;
      button.title = on ? "Attach images" : "This model does not read images";
      if (!on) { picked = []; show(); }
    },
    async take() {
      const out = [];
      for (const f of picked) out.push({ name: f.name, media_type: f.type || "image/png", data: await base64(f) });
      picked = [];
      show();
      return out;
    },
    dispose() { urls.forEach((u) => URL.revokeObjectURL(u)); },
  };
}
