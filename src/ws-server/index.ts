// The dashboard server: HTTP (assets, read API, metrics) and the live WebSocket, over a SessionSource.
export { DEFAULT_LIMITS, type DashboardLimits } from './limits.js';
export { createDashboardServer, DEFAULT_PORT, type DashboardServer, type DashboardServerOptions } from './server.js';
export type { ControlResult, NoteKind, ReplayResult, SessionArchive, SessionSource } from './session-source.js';
