import { isGroupAlive, isOriginalGroup, signalGroup } from '../adapters/process/process-groups.js';
import type { ProcessGroupRecord } from '../store/session-store.js';

const REAP_GRACE_MS = 2_000;
const POLL_MS = 50;

// Stops the process groups a killed orchestrator left behind: only a group whose leader still has
// the recorded start time (a reused pid is someone else's), never anything found by name.
export async function reapProcessGroups(groups: readonly ProcessGroupRecord[]): Promise<number[]> {
  const live = groups.filter((g) => isGroupAlive(g.pgid) && isOriginalGroup(g.pgid, g.startTime ?? undefined));
  for (const group of live) {
    signalGroup(group.pgid, 'SIGTERM');
    signalGroup(group.pgid, 'SIGCONT');
  }
  const deadline = Date.now() + REAP_GRACE_MS;
  while (live.some((g) => isGroupAlive(g.pgid)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  for (const group of live) if (isGroupAlive(group.pgid)) signalGroup(group.pgid, 'SIGKILL');
  return live.map((g) => g.pgid);
}
