import { type Command, InvalidArgumentError, Option } from 'commander';
import { checkInspectorUrl, DEFAULT_STATELY_INSPECTOR_URL } from '../runtime/stately-inspector.js';

export interface StatelyInspectorFlags {
  /** The Stately inspector relay to forward the session's actor events to; off when absent. */
  inspectStately?: string;
}

function parseInspectorUrl(value: string): string {
  const checked = checkInspectorUrl(value);
  if (!checked.ok) throw new InvalidArgumentError(checked.reason);
  return checked.url;
}

// The opt-in flag of every command that runs a session: off by default, because the visualizer
// is Stately's hosted page and forwarding costs throughput.
export function addStatelyInspectorOption(command: Command): Command {
  return command.addOption(
    new Option(
      '--inspect-stately [url]',
      "also send the machines' inspection to a Stately inspector relay at url (needs the optional package @statelyai/inspect; the visualizer is the hosted stately.ai page)",
    )
      .preset(DEFAULT_STATELY_INSPECTOR_URL)
      .argParser(parseInspectorUrl),
  );
}
