/**
 * Where the end-to-end tests find what they need (code-server, Chromium, the VSIX, the Python venv),
 * and a clear error naming the missing piece and the command that provides it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';
export const OUTPUT_ROOT = join(REPO_ROOT, 'test-output', 'e2e');

/** Something the e2e tests need is not installed or built. */
export class E2eSetupError extends Error {
  constructor(what: string, readonly hint: string) {
    super(`${what}\n  → ${hint}`);
    this.name = 'E2eSetupError';
  }
}

export interface E2eSetup {
  codeServerBin: string;
  chromium: string;
  vsix: string;
  python: string;
}

function defaultVsix(): string {
  const { name, version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return join(REPO_ROOT, `${name}-${version}-linux-x64.vsix`);
}

/** The paths, each overridable by an environment variable (nothing is checked). */
export function setupPaths(env: NodeJS.ProcessEnv = process.env): E2eSetup {
  const codeServerDir = env.RLVR_E2E_CODE_SERVER_DIR ?? join(REPO_ROOT, 'test', 'e2e', '.code-server');
  return {
    codeServerBin: join(codeServerDir, 'node_modules', '.bin', 'code-server'),
    chromium: env.RLVR_E2E_CHROMIUM ?? '/usr/bin/chromium',
    vsix: env.RLVR_E2E_VSIX ?? defaultVsix(),
    python: env.RLVR_E2E_PYTHON ?? join(REPO_ROOT, '.venv', 'bin', 'python'),
  };
}

/** Throws E2eSetupError for the first missing tool (code-server, Chromium, Python); the VSIX is not checked. */
export function checkTools(setup: E2eSetup = setupPaths()): void {
  if (!existsSync(setup.codeServerBin)) {
    throw new E2eSetupError(`code-server ${CODE_SERVER_VERSION} is not installed (no ${setup.codeServerBin}).`,
      'Run `bash test/e2e/install-code-server.sh` (about 2–3 minutes; needs ripgrep and libkrb5-dev), or set RLVR_E2E_CODE_SERVER_DIR.');
  }
  if (!existsSync(setup.chromium)) {
    throw new E2eSetupError(`Chromium is not at ${setup.chromium}.`, 'Debian/Ubuntu: `apt-get install -y chromium`, or set RLVR_E2E_CHROMIUM.');
  }
  if (!existsSync(setup.python)) {
    throw new E2eSetupError(`The Python interpreter ${setup.python} is missing.`, 'Run `bash scripts/setup.sh`, or set RLVR_E2E_PYTHON.');
  }
}

/** The checked paths: every tool and the VSIX exist. */
export function resolveSetup(env: NodeJS.ProcessEnv = process.env): E2eSetup {
  const setup = setupPaths(env);
  checkTools(setup);
  if (!existsSync(setup.vsix)) {
    throw new E2eSetupError(`The VSIX ${setup.vsix} is not built.`, 'Run `npm run package` (or `npm run test:e2e`, which builds it), or set RLVR_E2E_VSIX.');
  }
  return setup;
}
