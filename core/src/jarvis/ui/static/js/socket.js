// The chat WebSocket: one session id per browser tab (kept across reloads), reconnecting with
// backoff after a dropped connection; the server repeats a pending confirmation on reconnect
// and goes on streaming the running answer.

export function sessionId() {
  let id = sessionStorage.getItem("jarvis.chat.session");
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    id = "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    sessionStorage.setItem("jarvis.chat.session", id);
  }
  return id;
}

export class ChatSocket {
  constructor(id, { onFrame, onState }) {
    this.id = id;
    this.onFrame = onFrame;
    this.onState = onState;
    this.closed = false;
    this.attempt = 0;
    this.queue = [];
    this.open();
  }

  open() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${scheme}//${location.host}/ws/${encodeURIComponent(this.id)}`);
    this.ws = ws;
    this.onState(this.attempt ? "reconnecting" : "connecting");
    ws.addEventListener("open", () => {
      this.attempt = 0;
      this.onState("open");
      this.ping = setInterval(() => this.send({ type: "ping" }), 25000);
      for (const frame of this.queue.splice(0)) ws.send(JSON.stringify(frame));
    });
    ws.addEventListener("message", (ev) => {
      let frame;
      try { frame = JSON.parse(ev.data); } catch { return; }
      this.onFrame(frame);
    });
    ws.addEventListener("close", (ev) => {
      clearInterval(this.ping);
      if (this.closed) return;
      if (ev.code === 1008 || ev.code === 4401) { this.onState("unauthenticated"); return; }
      this.attempt += 1;
      this.onState("reconnecting");
      const wait = Math.min(500 * 2 ** (this.attempt - 1), 10000);
      this.timer = setTimeout(() => this.open(), wait);
    });
  }

  get connected() {
    return this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  send(frame) {
    if (this.connected) this.ws.send(JSON.stringify(frame));
    else if (frame.type !== "ping") this.queue.push(frame);
  }

  // Drop the connection as a network failure would (reconnects after it).
  drop() {
    if (this.ws) this.ws.close(4000, "dropped");
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.ping);
    if (this.ws) this.ws.close(1000, "page left");
  }
}
