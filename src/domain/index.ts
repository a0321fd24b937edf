export * from './agents.js';
export * from './agent-event.js';
export * from './failure.js';
export * from './plan.js';
export * from './tiers.js';
export * from './prompt.js';
export * from './worker-outcome.js';
export * from './config.js';
