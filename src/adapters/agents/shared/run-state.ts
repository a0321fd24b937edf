import type { AgentEventBody, AgentEventOf, FailureCode } from '../../../domain/index.js';
import type { ProcessExit } from '../types.js';
import type { FailureMatcher } from './failure-rules.js';
import { capFinalOutput } from './final-output.js';

/*
 * The lifecycle every normalizer shares: agent.started once, agent.error without repeats, the stream's own
 * end marker, and what finish() must add when the process ends. Vendors differ only in the texts they classify.
 */
export interface RunState {
  /** agent.started the first time a session id is seen; nothing afterwards (multi-turn streams repeat it). */
  started(body: Omit<AgentEventOf<'agent.started'>, 'type'>): AgentEventBody[];
  /** agent.error, unless the same code and message were already emitted in this run. */
  error(code: FailureCode, message: string): AgentEventBody[];
  /** A non-terminal notice (a retry, a warning): agent.error once per code per run, remembered for finish(). */
  notice(code: FailureCode, message: string): AgentEventBody[];
  /** Remembers a likely cause without emitting it, for a run that ends without its end marker. */
  hint(code: FailureCode): void;
  /** The stream's own end marker: agent.result, with success as the stream reports it and the final answer, if any. */
  end(success: boolean, summary: string, output?: unknown): AgentEventBody[];
  /** The events the process exit implies; see StreamNormalizer.finish. */
  finish(exit: ProcessExit, stderrTail: string): AgentEventBody[];
}

export interface RunStateOptions {
  /** The CLI's name, for messages. */
  label: string;
  /** The event that ends a complete run, for messages. */
  endMarker: string;
  match: FailureMatcher;
}

// Describes how the process ended, for messages.
export function describeExit(exit: ProcessExit): string {
  if (exit.signal !== null) return `was killed by ${exit.signal}`;
  if (exit.exitCode !== null) return `exited with code ${exit.exitCode}`;
  return 'exited';
}

// Creates the state of one run.
export function createRunState(options: RunStateOptions): RunState {
  let hasStarted = false;
  let hasEnded = false;
  let lastSuccess = false;
  let isFinished = false;
  let likelyCause: FailureCode | undefined;
  const emitted = new Set<string>();
  const noticed = new Set<FailureCode>();

  const error = (code: FailureCode, message: string): AgentEventBody[] => {
    const key = `${code}\n${message}`;
    if (emitted.has(key)) return [];
    emitted.add(key);
    return [{ type: 'agent.error', code, message }];
  };

  return {
    started(body) {
      if (hasStarted) return [];
      hasStarted = true;
      return [{ type: 'agent.started', ...body }];
    },
    error,
    notice(code, message) {
      likelyCause = code;
      if (noticed.has(code)) return [];
      noticed.add(code);
      return error(code, message);
    },
    hint(code) {
      likelyCause = code;
    },
    end(success, summary, output) {
      hasEnded = true;
      lastSuccess = success;
      if (output === undefined) return [{ type: 'agent.result', success, summary }];
      return [{ type: 'agent.result', success, summary, output: capFinalOutput(output) }];
    },
    finish(exit, stderrTail) {
      if (isFinished) return [];
      isFinished = true;
      const clean = exit.signal === null && exit.exitCode === 0;
      const match = options.match(stderrTail, exit.exitCode);
      if (hasEnded) {
        // A failed end marker already carried its error; a successful one needs a clean exit too.
        if (!lastSuccess || clean) return [];
        const message = match?.text ?? `${options.label} reported success but ${describeExit(exit)}`;
        return [{ type: 'agent.error', code: match?.code ?? 'AGENT_CRASHED', message }];
      }
      const summary = `${options.label} ${describeExit(exit)} without its final ${options.endMarker} event`;
      const code = match?.code ?? likelyCause ?? 'AGENT_CRASHED';
      // Not deduplicated: the machine needs this error next to the result even if a notice said the same.
      return [
        { type: 'agent.error', code, message: match?.text ?? summary },
        { type: 'agent.result', success: false, summary },
      ];
    },
  };
}
