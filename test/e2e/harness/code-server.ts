/**
 * One code-server for one test session, fully contained in a temporary folder: our own --config,
 * user-data, extensions and XDG folders, telemetry and update checks off, the VSIX installed the way
 * a user installs it, and the workspace trusted (trust prompts are off).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, killTree, spawnLogged } from './processes';
import type { E2eSetup } from './setup';

export interface CodeServerDirs {
  root: string;
  userData: string;
  extensions: string;
  config: string;
  tmp: string;
  log: string;
}

export type Settings = Record<string, unknown>;

const BASE_SETTINGS: Settings = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'files.watcherExclude': { '**/.rlvr/**': true },
  'window.dialogStyle': 'custom',
};

export function prepareDirs(root: string, settings: Settings, logDir: string): CodeServerDirs {
  const dirs: CodeServerDirs = {
    root,
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    config: join(root, 'config.yaml'),
    tmp: join(root, 'tmp'),
    log: join(logDir, 'code-server.log'),
  };
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  mkdirSync(dirs.extensions, { recursive: true });
  mkdirSync(dirs.tmp, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2));
  // Our own config so a user's ~/.config/code-server/config.yaml (password, cert) never applies.
  writeFileSync(dirs.config, 'auth: none\ncert: false\n');
  return dirs;
}

/**
 * XDG folders and TMPDIR inside the session folder, so nothing is written to the real home's config
 * or cache and no IPC socket is left in /tmp after the session's folder is removed.
 */
function serverEnv(dirs: CodeServerDirs): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: join(dirs.root, 'xdg-config'),
    XDG_DATA_HOME: join(dirs.root, 'xdg-data'),
    XDG_CACHE_HOME: join(dirs.root, 'xdg-cache'),
  };
}

const commonArgs = (dirs: CodeServerDirs): string[] => [
  '--config', dirs.config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions,
  '--disable-telemetry', '--disable-update-check',
];

export function installExtension(setup: E2eSetup, dirs: CodeServerDirs): void {
  const result = spawnSync(setup.codeServerBin, [...commonArgs(dirs), '--install-extension', setup.vsix],
    { env: serverEnv(dirs), encoding: 'utf8', timeout: 120_000 });
  writeFileSync(dirs.log, `$ code-server --install-extension ${setup.vsix}\n${result.stdout}${result.stderr}\n`, { flag: 'a' });
  if (result.status !== 0 || !/was successfully installed/.test(result.stdout + result.stderr)) {
    throw new Error(`code-server could not install ${setup.vsix} (exit ${result.status ?? result.signal}): ${(result.stderr || result.stdout).trim()}\n  see ${dirs.log}`);
  }
}

export interface RunningServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

async function waitHealthy(url: string, server: ChildProcess, log: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) {
      throw new Error(`code-server exited with ${server.exitCode} before it was healthy; its log:\n${readFileSync(log, 'utf8').slice(-2000)}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000} s; see ${log}`);
}

export async function startCodeServer(setup: E2eSetup, dirs: CodeServerDirs, workspace: string): Promise<RunningServer> {
  const port = await freePort();
  const args = [...commonArgs(dirs), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-workspace-trust',
    '--disable-getting-started-override', workspace];
  const server = spawnLogged(setup.codeServerBin, args, dirs.log, serverEnv(dirs));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (server.pid !== undefined) await killTree(server.pid);
  };
  try {
    await waitHealthy(url, server, dirs.log, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, process: server, stop };
}
