// The watchdog process (started by watchdog.ts, one per orchestrator). It reads `add <pgid>
// <leaderStartTime>`, `remove <pgid>` and `exit` lines on stdin. When stdin reaches EOF (the
// orchestrator closed it, or died, even by SIGKILL) it SIGTERMs every registered group, SIGKILLs
// what is left after the grace period, and exits. After `exit` it leaves the groups alone.
import { createInterface } from 'node:readline';
import { isGroupAlive, isOriginalGroup, signalGroup } from './process-groups.js';

const graceMs = Number(process.argv[2] ?? '1500');
const POLL_MS = 50;
const groups = new Map<number, number>();
let keepGroups = false;
let shuttingDown = false;

// Ctrl-C on the terminal and a hang-up must not take the watchdog down before it has cleaned up.
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});
// Asked to stop (e.g. at system shutdown): clean up exactly as on EOF.
process.on('SIGTERM', () => void shutdown());
// The orchestrator closes its end of our stdout once we are ready; a late write must not crash us.
process.stdout.on('error', () => {});

createInterface({ input: process.stdin })
  .on('line', handleLine)
  .on('close', () => void shutdown());
process.stdout.write('ready\n');

function handleLine(line: string): void {
  const [verb, id, startTime] = line.trim().split(/\s+/);
  const pgid = Number(id);
  if (verb === 'exit') keepGroups = true;
  else if (!Number.isInteger(pgid) || pgid <= 1) return;
  else if (verb === 'add') groups.set(pgid, Number(startTime) || 0);
  else if (verb === 'remove') groups.delete(pgid);
}

async function shutdown(): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  try {
    if (!keepGroups) await killGroups();
  } finally {
    process.exit(0);
  }
}

async function killGroups(): Promise<void> {
  // A recorded group whose leader pid now belongs to a newer process was not ours any more.
  let alive = [...groups].filter(([pgid, start]) => isOriginalGroup(pgid, start)).map(([pgid]) => pgid);
  for (const pgid of alive) {
    signalGroup(pgid, 'SIGTERM');
    // A paused group only handles the SIGTERM once it is continued.
    signalGroup(pgid, 'SIGCONT');
  }
  const deadline = Date.now() + graceMs;
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    alive = alive.filter(isGroupAlive);
  }
  for (const pgid of alive) signalGroup(pgid, 'SIGKILL');
}
