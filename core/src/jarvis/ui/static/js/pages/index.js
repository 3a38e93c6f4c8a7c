// Every page: its address pattern, who may open it, and the module that draws it.

import { setupPage, loginPage } from "./auth.js";
import { chatPage } from "./chat.js";
import { historyPage } from "./history.js";
import { agentsPage, agentPage, agentEditPage } from "./agents.js";
import { tasksPage } from "./tasks.js";
import { modelsPage } from "./models.js";
import { filesPage } from "./files.js";
import { auditPage } from "./audit.js";
import { settingsPage } from "./settings.js";
import { adminPage } from "./admin.js";

const r = (pattern, title, access, render) => ({ pattern, title, access, render });

export const ROUTES = [
  r(/^\/setup$/, "First run", "anon", setupPage),
  r(/^\/login$/, "Log in", "anon", loginPage),
  r(/^\/chat(?:\/([\w-]+))?$/, "Chat", "user", chatPage),
  r(/^\/history$/, "Chat history", "user", historyPage),
  r(/^\/agents$/, "Agents", "user", agentsPage),
  r(/^\/agents\/new$/, "New agent", "user", agentEditPage),
  r(/^\/agents\/([\w-]+)\/edit$/, "Edit agent", "user", agentEditPage),
  r(/^\/agents\/([\w-]+)$/, "Agent", "user", agentPage),
  r(/^\/tasks$/, "Scheduled tasks", "user", tasksPage),
  r(/^\/models$/, "Models", "user", modelsPage),
  r(/^\/files$/, "My files", "user", filesPage),
  r(/^\/audit$/, "Audit log", "user", auditPage),
  r(/^\/settings$/, "Settings", "user", settingsPage),
  r(/^\/admin(?:\/(\w+))?$/, "Administration", "admin", adminPage),
];

// [label, address, admins only]
export const NAV = [
  ["Chat", "/chat"], ["History", "/history"], ["Agents", "/agents"], ["Tasks", "/tasks"],
  ["Models", "/models"], ["Files", "/files"], ["Audit", "/audit"], ["Settings", "/settings"],
  ["Admin", "/admin", true],
];
