import type { ControlRequest } from '../../src/protocol/index.js';
import { connect, socketUrl } from './connection.js';
import { createControl, markPendingLost } from './state/controls.js';
import { applyServerMessage, createDashboardState, type Slice } from './state/dashboard-state.js';
import { createApp } from './view/app.js';

// The dashboard: one state, fed by the socket, drawn at most once a frame.
const state = createDashboardState();
let frame = 0;

const scheduleRender = () => {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    const changed = new Set<Slice>(state.changed);
    state.changed.clear();
    app.render(changed);
  });
};

const connection = connect(socketUrl(location), {
  onMessage(message) {
    for (const reply of applyServerMessage(state, message)) connection.send(reply);
    scheduleRender();
  },
  onStatus(patch) {
    state.connection = { ...state.connection, ...patch };
    state.changed.add('connection');
    scheduleRender();
  },
  onClosed() {
    if (markPendingLost(state.controls)) state.changed.add('controls');
    state.changed.add('connection');
    scheduleRender();
  },
});

const app = createApp(
  {
    state,
    sendControl(request: ControlRequest) {
      const message = createControl(state.controls, request, Date.now());
      if (!connection.send(message)) markPendingLost(state.controls);
      state.changed.add('controls');
      scheduleRender();
    },
    isOnline: () => state.connection.status === 'syncing' || state.connection.status === 'live',
  },
  () => connection.retryNow(),
);

document.getElementById('app')!.replaceChildren(app.element);
app.start();
setInterval(() => app.tick(Date.now()), 1000);
