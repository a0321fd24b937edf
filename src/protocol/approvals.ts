/** What a person is shown when asked to approve, as both sides put it. */
export interface ApprovalSubject {
  approvalId: string;
  /** What is asked: an agent's tool, or `review` for a review's escalation. */
  tool: string;
  /** The command, or for a review the reason it escalated. */
  command?: string | null;
  path?: string | null;
}

// The exact text whose SHA-256 an answer carries: the server recomputes it for the approval pending,
// so an answer cannot approve anything but what the person was shown.
export function approvalText(subject: ApprovalSubject): string {
  return JSON.stringify({ approvalId: subject.approvalId, tool: subject.tool, command: subject.command ?? null, path: subject.path ?? null });
}
