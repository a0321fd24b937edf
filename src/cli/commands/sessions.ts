import { Command } from 'commander';
import { AGENT_LABELS, formatSummary, getTier } from '../../domain/index.js';
import { iterateEvents } from '../../store/event-reader.js';
import type { SessionRecord } from '../../store/session-store.js';
import { OrchestrateError } from '../../runtime/errors.js';
import { formatReviewNotes } from '../review-notes.js';
import { addStoreOptions, openExistingStore, type StoreFlags } from '../store-options.js';

function duration(record: SessionRecord): string {
  const ms = (record.endedAt ?? Date.now()) - record.startedAt;
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

function describeRow(record: SessionRecord) {
  return {
    id: record.id,
    task: record.task,
    state: record.state,
    started: new Date(record.startedAt).toISOString(),
    duration: duration(record),
    tiers: record.tierPath.map((t) => t.to).join(' > '),
    costUsd: record.summary?.usage.costUsd ?? 0,
  };
}

// `orchestrate sessions`: this workspace's sessions, newest first.
export function makeSessionsCommand(): Command {
  return addStoreOptions(new Command('sessions'))
    .description("list this workspace's sessions: id, task, state, start, duration, tier path, cost")
    .option('--json', 'one JSON object per session', false)
    .action((flags: StoreFlags & { json: boolean }) => {
      const workspace = openExistingStore(flags);
      try {
        const rows = workspace.store.listSessions().map(describeRow);
        if (flags.json) rows.forEach((row) => process.stdout.write(`${JSON.stringify(row)}\n`));
        else if (rows.length === 0) process.stdout.write('no sessions yet\n');
        else {
          for (const row of rows) {
            const task = row.task.length > 50 ? `${row.task.slice(0, 49)}…` : row.task;
            process.stdout.write(`${row.id}  ${row.state.padEnd(9)} ${row.started.slice(0, 19).replace('T', ' ')}  ${row.duration.padStart(7)}  $${row.costUsd.toFixed(4)}  ${row.tiers || '-'}  ${task}\n`);
          }
        }
      } finally {
        workspace.close();
      }
    });
}

// `orchestrate show <id>`: one session's summary, workers, reviews and decisions.
export function makeShowCommand(): Command {
  return addStoreOptions(new Command('show'))
    .description("show one session's summary, workers, reviews and decisions")
    .argument('<id>', 'the session id')
    .option('--json', 'as JSON', false)
    .action((id: string, flags: StoreFlags & { json: boolean }) => {
      const workspace = openExistingStore(flags);
      try {
        const { store } = workspace;
        const record = store.getSession(id);
        if (!record) throw new OrchestrateError(`there is no session ${id} in ${workspace.path}`);
        const workers = store.listWorkers(id);
        const reviews = store.listReviews(id);
        const decisions = store.listDecisions(id);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ session: describeRow(record), summary: record.summary, workers, reviews, decisions })}\n`);
          return;
        }
        const out: string[] = record.summary ? [formatSummary(record.summary)] : [`Session ${id}: ${record.state}`, `Task: ${record.task}`];
        out.push('', 'Workers:');
        for (const w of workers) {
          out.push(`  ${w.workerId}: ${AGENT_LABELS[w.agent]}, ${w.state}${w.vendorSessionId ? `, vendor session ${w.vendorSessionId}` : ''}`);
        }
        if (!record.summary && record.tierPath.length > 0) out.push('', `Tiers: ${record.tierPath.map((t) => getTier(t.to).label).join(' > ')}`);
        out.push('', ...formatReviewNotes(reviews, decisions));
        process.stdout.write(`${out.join('\n')}\n`);
      } finally {
        workspace.close();
      }
    });
}

// `orchestrate export <id>`: every event of a session as JSON lines, streamed from the store.
export function makeExportCommand(): Command {
  return addStoreOptions(new Command('export'))
    .description("print a session's events as JSON lines")
    .argument('<id>', 'the session id')
    .action((id: string, flags: StoreFlags) => {
      const workspace = openExistingStore(flags);
      try {
        if (!workspace.store.getSession(id)) throw new OrchestrateError(`there is no session ${id} in ${workspace.path}`);
        for (const entry of iterateEvents(workspace.db, id)) process.stdout.write(`${JSON.stringify(entry)}\n`);
      } finally {
        workspace.close();
      }
    });
}
