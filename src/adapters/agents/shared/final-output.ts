import { previewText } from './preview.js';

/** How much of a run's final answer travels in `agent.result.output`; the rest stays in the vendor's logs. */
export const FINAL_OUTPUT_CHARS = 64 * 1024;

// The final answer as agent.result carries it: text cut to FINAL_OUTPUT_CHARS, a structured value as it
// came, or its JSON text cut the same way when it is larger (so it reads as an answer that does not parse).
export function capFinalOutput(value: unknown): unknown {
  if (typeof value === 'string') return previewText(value, FINAL_OUTPUT_CHARS);
  const json = JSON.stringify(value) ?? '';
  return json.length <= FINAL_OUTPUT_CHARS ? value : previewText(json, FINAL_OUTPUT_CHARS);
}
