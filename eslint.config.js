import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cache/', 'coverage/', 'dashboard/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Layering (../DESIGN.md): machines decide, they never do I/O.
    files: ['src/machines/**/*.ts', 'src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'execa', 'ws', '**/adapters/**', '**/store/**', '**/ws-server/**'] }],
    },
  },
  {
    // Layering (DESIGN.md): the dashboard imports src/protocol and src/domain only, and nothing of Node.
    files: ['dashboard/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'xstate', 'ws', 'execa', '**/src/ws-server/**', '**/src/machines/**', '**/src/runtime/**', '**/src/store/**', '**/src/adapters/**', '**/src/actors/**', '**/src/cli/**'] },
      ],
    },
  },
  {
    files: ['src/adapters/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['xstate', '**/machines/**', '**/actors/**'] }] },
  },
);
