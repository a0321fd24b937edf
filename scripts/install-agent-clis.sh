#!/usr/bin/env bash
# Install the real agent CLIs used by the contract tests (test/contract) into
# .cache/agent-clis/ at the repository root. They are neither runtime nor dev
# dependencies of orchestrate: only the contract tests run them, against a
# loopback fake of the providers' APIs (test/support/mock-provider.ts).
#
# Idempotent: when the pinned versions are already installed and runnable, it
# exits at once without touching the network.
#
# Usage: scripts/install-agent-clis.sh [--force]
set -euo pipefail

CLAUDE_VERSION="2.1.197"
CODEX_VERSION="0.169.0"
GEMINI_VERSION="0.61.0"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="${ORCHESTRATE_AGENT_CLIS_DIR:-$ROOT/.cache/agent-clis}"
NM="$PREFIX/node_modules"

force=0
if [[ "${1:-}" == "--force" ]]; then force=1; fi

installed_version() {
  # $1 = package name; prints the installed version or nothing.
  local pj="$NM/$1/package.json"
  [[ -f "$pj" ]] || return 0
  node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).version ?? ""))' "$pj"
}

claude_bin() { echo "$NM/@anthropic-ai/claude-code/bin/claude.exe"; }
codex_bin() { echo "$NM/@openai/codex/bin/codex.js"; }
gemini_bin() { echo "$NM/@google/gemini-cli/bundle/gemini.js"; }

check_all() {
  # Prints one line per CLI; returns non-zero if any is missing, wrong or broken.
  local ok=0 out
  if [[ "$(installed_version @anthropic-ai/claude-code)" == "$CLAUDE_VERSION" ]] \
    && out="$("$(claude_bin)" --version 2>/dev/null)" && [[ "$out" == "$CLAUDE_VERSION"* ]]; then
    echo "claude: $out"
  else
    echo "claude: missing or not runnable (want $CLAUDE_VERSION)"; ok=1
  fi
  if [[ "$(installed_version @openai/codex)" == "$CODEX_VERSION" ]] \
    && out="$(node "$(codex_bin)" --version 2>/dev/null)" && [[ "$out" == *"$CODEX_VERSION"* ]]; then
    echo "codex: $out"
  else
    echo "codex: missing or not runnable (want $CODEX_VERSION)"; ok=1
  fi
  if [[ "$(installed_version @google/gemini-cli)" == "$GEMINI_VERSION" ]] \
    && out="$(GEMINI_CLI_NO_RELAUNCH=1 node "$(gemini_bin)" --version 2>/dev/null)" && [[ "$out" == *"$GEMINI_VERSION"* ]]; then
    echo "gemini: $out"
  else
    echo "gemini: missing or not runnable (want $GEMINI_VERSION)"; ok=1
  fi
  return $ok
}

if [[ $force -eq 0 ]] && check_all >/dev/null 2>&1; then
  echo "agent CLIs already installed in $PREFIX:"
  check_all
  exit 0
fi

mkdir -p "$PREFIX"
# A package.json of its own keeps npm from walking up to the project's.
if [[ ! -f "$PREFIX/package.json" ]]; then
  printf '{\n  "name": "orchestrate-agent-clis",\n  "private": true,\n  "description": "Real agent CLIs for the contract tests; installed by scripts/install-agent-clis.sh"\n}\n' >"$PREFIX/package.json"
fi

echo "installing agent CLIs into $PREFIX ..."
npm install --prefix "$PREFIX" --no-save --no-audit --no-fund --loglevel=error \
  "@anthropic-ai/claude-code@$CLAUDE_VERSION" \
  "@openai/codex@$CODEX_VERSION" \
  "@google/gemini-cli@$GEMINI_VERSION"

# Claude Code's postinstall hard-links the native binary to bin/claude.exe. If
# the package manager skipped install scripts, run it here.
if ! "$(claude_bin)" --version >/dev/null 2>&1; then
  echo "claude binary not runnable after install; running its postinstall ..."
  (cd "$NM/@anthropic-ai/claude-code" && node install.cjs) || true
fi

if ! check_all; then
  echo "error: some agent CLIs are not runnable after install (see above)" >&2
  exit 1
fi
echo "agent CLIs installed in $PREFIX"
