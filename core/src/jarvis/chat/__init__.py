"""The chat transport: the WebSocket protocol, its sessions and the sockets they stream to."""
