import { createConnection } from 'node:net';
import { AnswerFrameSchema, createFrameReader, encodeFrame, parseFrame, type AnswerFrame, type ReportFrame } from './protocol.js';

const ANSWER_TIMEOUT_MS = 10_000;

// Sends one report over the worker's socket and resolves with the orchestrator's answer. Rejects when the
// orchestrator cannot be reached or does not answer properly in time.
export function sendReport(socketPath: string, frame: ReportFrame, timeoutMs = ANSWER_TIMEOUT_MS): Promise<AnswerFrame> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    const reader = createFrameReader();
    const fail = (message: string) => {
      socket.destroy();
      reject(new Error(message));
    };
    socket.setTimeout(timeoutMs, () => fail('the orchestrator did not answer in time'));
    socket.on('error', (error) => fail(error.message));
    // Once an answer settled the promise, this changes nothing.
    socket.on('end', () => fail('the orchestrator closed the channel without an answer'));
    socket.on('data', (chunk: Buffer) => {
      const progress = reader.push(chunk);
      if (!progress) return;
      if ('oversized' in progress) return fail('the orchestrator’s answer is too large');
      const answer = parseFrame(AnswerFrameSchema, progress.line);
      if (!answer) return fail('the orchestrator’s answer is not a channel frame');
      socket.destroy();
      resolve(answer);
    });
    socket.write(encodeFrame(frame));
  });
}
