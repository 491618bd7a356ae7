/** Runs the `rlvr` CLI from source (tsx) as a child process, as a user would run it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..');
const cli = join(repo, 'src', 'trainer', 'cli', 'main.ts');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: string[], options: { detached?: boolean } = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export const runCli = (args: string[]): Promise<CliResult> => startCli(args).done;
