// Layering (see docs/architecture.md): the trainer is a plain CLI and must never depend on VS Code;
// webviews run in a browser sandbox and may only use pure shared modules.
import tseslint from 'typescript-eslint';

const noVscode = {
  name: 'vscode',
  message: 'src/trainer and src/shared run without VS Code (the rlvr CLI); only src/extension may import vscode.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'examples/**', '.venv/**', 'media/**', 'test-output/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/trainer/**/*.ts', 'src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode] }] },
  },
  {
    files: ['src/webviews/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode],
        patterns: [
          { group: ['**/trainer/**', '**/extension/**'], message: 'Webviews import only src/shared (pure modules) and browser packages.' },
          { group: ['node:*', 'fs', 'path', 'child_process', 'sqlite3'], message: 'Webviews run in a browser: no Node modules.' },
        ],
      }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode],
        patterns: [{ group: ['**/trainer/**', '**/extension/**', 'node:*'], message: 'src/shared is pure: no Node, trainer or extension imports.' }],
      }],
    },
  },
);
