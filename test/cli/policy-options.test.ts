import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/cli/load-config.js';
import { addPolicyOptions, toPolicyOverrides, type PolicyFlags } from '../../src/cli/policy-options.js';
import { applyPolicyOverrides, ConfigFileSchema } from '../../src/domain/index.js';

function parseFlags(args: string[]): PolicyFlags {
  const command = addPolicyOptions(new Command('run'))
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  command.parse(args, { from: 'user' });
  return command.opts<PolicyFlags>();
}

const FILE_POLICY = ConfigFileSchema.parse({
  policy: { network: true, budgets: { session: { costUsd: 10, tokens: 5 }, agent: { tokens: 7 } }, limits: { memoryMb: 512 } },
}).policy;

describe('policy flags', () => {
  it('override the config file\u2019s policy field by field', () => {
    const flags = parseFlags([
      '--allow-unsandboxed',
      '--no-network',
      '--budget-cost',
      '2.5',
      '--budget-minutes',
      '30',
      '--agent-budget-cost',
      '1',
      '--cpu-seconds',
      '600',
      '--on-violation',
      'fail',
    ]);
    expect(applyPolicyOverrides(FILE_POLICY, toPolicyOverrides(flags))).toEqual({
      ...FILE_POLICY,
      sandbox: 'off',
      network: false,
      onViolation: 'fail',
      budgets: { session: { costUsd: 2.5, tokens: 5, wallSeconds: 1800 }, agent: { tokens: 7, costUsd: 1 } },
      limits: { memoryMb: 512, cpuSeconds: 600 },
    });
  });

  it('leave the config file\u2019s policy as it is when none is given', () => {
    expect(applyPolicyOverrides(FILE_POLICY, toPolicyOverrides(parseFlags([])))).toEqual(FILE_POLICY);
  });

  it.each([
    ['--budget-cost', '0'],
    ['--budget-tokens', '1.5'],
    ['--memory-mb', 'lots'],
    ['--on-violation', 'ignore'],
  ])('refuse %s %s', (flag, value) => {
    expect(() => parseFlags([flag, value])).toThrow();
  });

  it('are merged into the loaded config, which the session records', async () => {
    const target = await mkdtemp(join(tmpdir(), 'orchestrate-policy-flags-'));
    await writeFile(join(target, 'orchestrate.config.json'), JSON.stringify({ policy: { roots: ['out'], network: true } }));
    const { config } = await loadConfig({ target, policy: toPolicyOverrides(parseFlags(['--no-network', '--budget-tokens', '1000', '--memory-mb', '2048'])) });
    expect(config.policy).toMatchObject({ roots: ['out'], network: false, budgets: { session: { tokens: 1000 } }, limits: { memoryMb: 2048 } });
  });
});
