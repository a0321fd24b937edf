/** Keeps a process group stopped while anything holds it. */
export interface GroupHolds {
  /** Stops the group (SIGSTOP) if nothing held it yet. */
  hold(reason: string): void;
  /** Continues the group (SIGCONT) once nothing holds it any more. */
  release(reason: string): void;
  readonly held: boolean;
}

// A person's pause and each tool call waiting for approval hold the group separately, so resuming
// one never lets the agent run past the other.
export function createGroupHolds(group: { pause(): void; resume(): void }, onChange?: (held: boolean) => void): GroupHolds {
  const holds = new Set<string>();
  return {
    hold(reason) {
      if (holds.has(reason)) return;
      holds.add(reason);
      if (holds.size > 1) return;
      group.pause();
      onChange?.(true);
    },
    release(reason) {
      if (!holds.delete(reason) || holds.size > 0) return;
      group.resume();
      onChange?.(false);
    },
    get held() {
      return holds.size > 0;
    },
  };
}
