// The wire contract between the server and the dashboard. Browser-safe: it imports only zod and the domain.
export * from './client-messages.js';
export * from './digest.js';
export * from './error-codes.js';
export * from './inspection.js';
export * from './server-messages.js';
export * from './replay.js';
export * from './approvals.js';
