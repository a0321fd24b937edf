import { Command, InvalidArgumentError } from 'commander';
import { isDeepStrictEqual } from 'node:util';
import { readEvents } from '../../store/event-reader.js';
import { EXIT_CODES, OrchestrateError } from '../../runtime/errors.js';
import { replaySession } from '../../runtime/replay.js';
import { addStoreOptions, openExistingStore, type StoreFlags } from '../store-options.js';

function parseSpeed(value: string): number {
  const speed = Number(value);
  if (!Number.isFinite(speed) || speed < 0) throw new InvalidArgumentError('the speed is a number: 1 as recorded, 10 faster, 0 as fast as possible');
  return speed;
}

// `orchestrate replay <id>`: re-drives the machines from the recorded events, no agent, no model.
export function makeReplayCommand(setExitCode: (code: number) => void): Command {
  return addStoreOptions(new Command('replay'))
    .description('re-drive the session machines from the recorded events (no agent, no model), printing each transition')
    .argument('<id>', 'the session id')
    .option('--speed <factor>', '1 replays at the recorded pace, 10 ten times faster, 0 as fast as possible', parseSpeed, 10)
    .action(async (id: string, flags: StoreFlags & { speed: number }) => {
      const workspace = openExistingStore(flags);
      let entries;
      try {
        if (!workspace.store.getSession(id)) throw new OrchestrateError(`there is no session ${id} in ${workspace.path}`);
        entries = readEvents(workspace.db, id);
      } finally {
        workspace.close();
      }
      const result = await replaySession(entries, {
        speed: flags.speed,
        onTransition: ({ seq, actorId, value }) => process.stdout.write(`#${seq} ${actorId}: ${JSON.stringify(value)}\n`),
      });
      if (result.recorded === undefined) {
        process.stdout.write(`replayed ${result.events} events; the session never finished, so there is no end state to compare\n`);
      } else if (isDeepStrictEqual(result.fingerprint, result.recorded)) {
        process.stdout.write(`replayed ${result.events} events: the machines reached the recorded end state\n`);
      } else {
        process.stdout.write(`replayed ${result.events} events: the machines ended in another state than recorded\n`);
        setExitCode(EXIT_CODES.taskFailed);
      }
    });
}
