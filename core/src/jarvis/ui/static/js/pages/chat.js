// The chat: streamed answers, live tool activity, confirmations, stop, model picker, image
// attachments, the paused state, and a socket that reconnects without losing the conversation.

import { api } from "../api.js";
import { h, clear, fill } from "../dom.js";
import { render as markdown } from "../markdown.js";
import { ChatSocket, sessionId } from "../socket.js";
import { loadUser } from "../session.js";
import { button } from "../ui.js";
import { attachmentPicker } from "./attachments.js";

function bubble(role, text) {
  const body = h("div", { class: "body" });
  const el = h("article", { class: `msg ${role}`, dataset: { role } },
    h("div", { class: "who" }, role === "user" ? "You" : role === "assistant" ? "Jarvis" : "Tool"), body);
  el.body = body;
  el.text = "";
  el.set = (t) => { el.text = t; fill(body, role === "user" ? h("p", { class: "plain" }, t) : markdown(t)); };
  // streamed chunks: the Markdown is drawn at most once a frame, however fast they come
  let pending = false;
  el.add = (chunk) => {
    el.text += chunk;
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; el.set(el.text); });
  };
  if (text) el.set(text);
  return el;
}

function toolLine(name, args) {
  const el = h("div", { class: "tool running", dataset: { tool: name } },
    h("span", { class: "tool-name" }, name),
    h("code", { class: "tool-args" }, JSON.stringify(args ?? {})),
    h("span", { class: "tool-state" }, "running…"));
  el.finish = (frame) => {
    el.className = `tool ${frame.success ? "ok" : "failed"}`;
    const state = frame.confirmed === false ? "denied" : frame.success ? "done" : "failed";
    el.querySelector(".tool-state").textContent = state;
    if (frame.result_summary) el.append(h("div", { class: "tool-result" }, frame.result_summary));
  };
  return el;
}

export async function chatPage(view, { args }) {
  const sid = sessionId();
  const remembered = new Set(JSON.parse(sessionStorage.getItem("jarvis.chat.remember") || "[]"));
  const state = { conversationId: args[0] || null, running: false, models: [], answer: null, tools: {} };
  const log = h("div", { class: "messages", "aria-live": "polite" });
  const status = h("span", { class: "conn", role: "status" }, "connecting…");
  const paused = h("p", { class: "notice warn paused", hidden: true }, "The agent is paused by an administrator: new messages wait until it resumes.");
  const modelSelect = h("select", { name: "model", "aria-label": "Model" });
  const text = h("textarea", { name: "message", rows: 2, placeholder: "Message Jarvis…", "aria-label": "Message", required: true });
  const attach = attachmentPicker();
  const send = h("button", { type: "submit", class: "primary" }, "Send");
  const stop = button("Stop", () => socket.send({ type: "stop" }), { class: "danger", hidden: true });
  const composer = h("form", { class: "composer" }, attach.preview, h("div", { class: "row" }, attach.button, text, send, stop));
  const newChat = button("New chat", () => {
    socket.send({ type: "clear" });
    state.conversationId = null;
    clear(log);
    history.replaceState(null, "", "#/chat");
  });
  view.append(h("section", { class: "page chat" },
    h("div", { class: "chat-bar" }, h("h1", {}, "Chat"), modelSelect, newChat, status),
    paused, log, composer));

  const scroll = () => { log.scrollTop = log.scrollHeight; };
  const setRunning = (running) => {
    state.running = running;
    stop.hidden = !running;
    send.disabled = running;
  };
  const vision = () => state.models.find((m) => m.id === modelSelect.value)?.capabilities?.vision;
  const syncAttach = () => attach.enable(!!vision());
  modelSelect.addEventListener("change", syncAttach);

  if (state.conversationId) {
    try {
      const conv = await api.get(`/api/conversations/${encodeURIComponent(state.conversationId)}`);
      for (const m of conv.messages) {
        if (m.role === "tool") {
          const line = toolLine(m.tool_name || "tool", {});
          line.finish({ success: !m.is_error, result_summary: m.content.slice(0, 500) });
          log.append(line);
        } else if (m.content) log.append(bubble(m.role, m.content));
      }
    } catch (err) {
      log.append(h("p", { class: "notice error", role: "alert" }, err.message));
      state.conversationId = null;
    }
  }

  function answerBubble() {
    if (!state.answer) { state.answer = bubble("assistant", ""); log.append(state.answer); }
    return state.answer;
  }

  function confirmation(frame) {
    if (log.querySelector(`.confirm[data-call="${CSS.escape(frame.call_id)}"]`)) return;
    if (remembered.has(frame.tool_name)) { socket.send({ type: "confirm", call_id: frame.call_id, approved: true }); return; }
    const answer = (approved, remember) => {
      if (remember) {
        remembered.add(frame.tool_name);
        sessionStorage.setItem("jarvis.chat.remember", JSON.stringify([...remembered]));
      }
      socket.send({ type: "confirm", call_id: frame.call_id, approved });
      fill(card, h("p", { class: "muted" }, approved ? `Approved: ${frame.description}` : `Denied: ${frame.description}`));
      card.classList.add("answered");
    };
    const card = h("div", { class: "confirm", role: "alertdialog", dataset: { call: frame.call_id } },
      h("p", { class: "confirm-q" }, "Jarvis wants to: ", h("strong", {}, frame.description || frame.tool_name)),
      h("code", { class: "tool-args" }, JSON.stringify(frame.arguments ?? {})),
      h("div", { class: "actions" },
        button("Approve", () => answer(true, false), { class: "primary" }),
        button("Deny", () => answer(false, false), { class: "danger" }),
        button(`Approve ${frame.tool_name} for this session`, () => answer(true, true))));
    log.append(card);
    scroll();
  }

  function onFrame(f) {
    switch (f.type) {
      case "models": {
        state.models = f.models || [];
        const keep = modelSelect.value || f.default;
        fill(modelSelect, ...state.models.map((m) => h("option", { value: m.id, selected: m.id === keep }, m.name || m.id)));
        syncAttach();
        break;
      }
      case "session":
        paused.hidden = !f.paused;
        setRunning(!!f.running);
        if (f.pending_confirmation) confirmation(f.pending_confirmation);
        break;
      case "text": {
        answerBubble().add(f.content);
        break;
      }
      case "tool_start": {
        state.answer = null; // text after a tool goes in a new bubble below it
        const line = toolLine(f.tool_name, f.arguments);
        state.tools[f.call_id] = line;
        log.append(line);
        break;
      }
      case "confirmation_required":
        confirmation(f);
        break;
      case "tool_done": {
        let line = state.tools[f.call_id];
        if (!line) { line = toolLine(f.tool_name, {}); log.append(line); }
        line.finish(f);
        state.answer = null;
        break;
      }
      case "images":
        log.append(h("div", { class: "images" }, (f.images || []).map((img) => img.data
          ? h("img", { src: `data:${img.media_type};base64,${img.data}`, alt: "image from the agent" })
          : h("span", { class: "muted" }, `image at ${img.url} (not loaded)`))));
        break;
      case "done":
        setRunning(false);
        state.answer = null;
        if (f.conversation_id && f.conversation_id !== state.conversationId) {
          state.conversationId = f.conversation_id;
          history.replaceState(null, "", `#/chat/${f.conversation_id}`);
        }
        if (f.status && f.status !== "done") log.append(h("p", { class: "muted run-end" }, f.status === "stopped" ? "Stopped." : "The run reached its tool-call limit."));
        break;
      case "error":
        if (f.run_id || state.running) setRunning(false);
        state.answer = null;
        if (/paused/i.test(f.error)) paused.hidden = false;
        log.append(h("p", { class: "notice error", role: "alert" }, f.error + (f.detail && typeof f.detail === "string" ? `: ${f.detail}` : "")));
        break;
      default:
        break;
    }
    scroll();
  }

  const socket = new ChatSocket(sid, {
    onFrame,
    onState: async (s) => {
      status.textContent = { open: "connected", connecting: "connecting…", reconnecting: "reconnecting…" }[s] || s;
      status.dataset.state = s;
      if (s === "reconnecting" && socket?.attempt >= 2 && !(await loadUser())) location.hash = "#/login?expired=1";
    },
  });
  window.jarvisChatSocket = socket; // lets tests and the benchmark drop the connection

  composer.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const content = text.value.trim();
    if (!content || state.running) return;
    const frame = { type: "message", content, model: modelSelect.value || undefined };
    if (state.conversationId) frame.conversation_id = state.conversationId;
    const files = await attach.take();
    if (files.length) frame.attachments = files;
    const mine = bubble("user", content);
    if (files.length) mine.append(h("div", { class: "muted" }, `${files.length} image(s) attached`));
    log.append(mine);
    text.value = "";
    state.answer = null;
    setRunning(true);
    socket.send(frame);
    scroll();
  });
  text.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); composer.requestSubmit(); }
  });
  text.focus();
  return () => { socket.close(); if (window.jarvisChatSocket === socket) delete window.jarvisChatSocket; attach.dispose(); };
}
