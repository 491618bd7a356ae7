/**
 * Which Python runs the worker, and whether it has what the worker needs — checked up front so a
 * missing package is one clear message with the command that fixes it, not a traceback mid-run.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { studioRoot } from '../paths';
import { studioVenvDirs } from '../python-env/studio-venv';

export type InterpreterSource = 'explicit' | 'workspace-venv' | 'studio-venv' | 'path';

export interface Interpreter {
  readonly path: string;
  /** Where it came from, for messages ("the workspace's .venv"). */
  readonly source: InterpreterSource;
}

export interface InterpreterQuery {
  /** A user setting (`rlvrStudio.pythonPath`, `--python`); wins when non-empty. */
  readonly explicit?: string | undefined;
  readonly workspace?: string | undefined;
  /** RLVR Studio's own root (default: found from this module's location). */
  readonly studioRoot?: string;
  /** Read for RLVR_STUDIO_VENV, the extension's venv (default: process.env). */
  readonly env?: NodeJS.ProcessEnv;
  readonly exists?: (path: string) => boolean;
  readonly platform?: NodeJS.Platform;
}

/** explicit → `<workspace>/.venv` → `$RLVR_STUDIO_VENV` → `<studio>/.venv` → `python3` on PATH. */
export function findPythonInterpreter(query: InterpreterQuery = {}): Interpreter {
  if (query.explicit && query.explicit.trim() !== '') return { path: query.explicit, source: 'explicit' };
  const exists = query.exists ?? existsSync;
  const python = (venv: string): string =>
    (query.platform ?? process.platform) === 'win32' ? join(venv, 'Scripts', 'python.exe') : join(venv, 'bin', 'python');
  if (query.workspace) {
    const candidate = python(join(query.workspace, '.venv'));
    if (exists(candidate)) return { path: candidate, source: 'workspace-venv' };
  }
  for (const venv of studioVenvDirs({ env: query.env, studioDir: query.studioRoot ?? studioRoot() })) {
    if (exists(python(venv))) return { path: python(venv), source: 'studio-venv' };
  }
  return { path: (query.platform ?? process.platform) === 'win32' ? 'python' : 'python3', source: 'path' };
}

/** Modules the worker imports; `jsonschema` validates protocol frames. */
export const WORKER_MODULES = ['torch', 'transformers', 'peft', 'safetensors', 'tokenizers', 'jsonschema'] as const;
export const MIN_PYTHON: readonly [number, number] = [3, 10];

export interface MissingModule {
  readonly module: string;
  /** The import error, e.g. "No module named 'peft'". */
  readonly error: string;
}

export interface PythonDiagnosis {
  readonly interpreter: string;
  readonly ok: boolean;
  readonly pythonVersion: string | null;
  /** module → version for what imported. */
  readonly found: Readonly<Record<string, string>>;
  readonly missing: readonly MissingModule[];
  /** Why it is not usable, in one sentence (null when ok). */
  readonly problem: string | null;
  /** The command that fixes it (null when ok, or when Python itself must be installed first). */
  readonly fixCommand: string | null;
}

// Reports on its own copy of stdout: imports that print cannot corrupt the JSON.
const PROBE = `
import importlib, json, os, sys
out = os.fdopen(os.dup(1), "w"); os.dup2(2, 1)
found, missing = {}, []
for name in sys.argv[1:]:
    try:
        module = importlib.import_module(name)
        found[name] = str(getattr(module, "__version__", "unknown"))
    except Exception as exc:
        missing.append({"module": name, "error": f"{type(exc).__name__}: {exc}"[:300]})
out.write(json.dumps({"python": ".".join(map(str, sys.version_info[:3])), "found": found, "missing": missing}))
out.flush()
`;

export interface DiagnoseOptions {
  readonly timeoutMs?: number;
  readonly studioRoot?: string;
}

/** Runs `interpreter` once to see whether it can host the worker; never throws. */
export async function diagnosePython(interpreter: string, options: DiagnoseOptions = {}): Promise<PythonDiagnosis> {
  const root = options.studioRoot ?? studioRoot();
  const fix = `${shellQuote(interpreter)} -m pip install -r ${shellQuote(join(root, 'src', 'trainer', 'worker', 'requirements.txt'))}`;
  const run = await execProbe(interpreter, options.timeoutMs ?? 120_000);
  const base = { interpreter, found: {}, missing: [] };
  if ('failure' in run) {
    return { ...base, ok: false, pythonVersion: null, problem: run.failure, fixCommand: null };
  }
  const report = parseProbe(run.stdout);
  if (!report) {
    return { ...base, ok: false, pythonVersion: null, fixCommand: null,
      problem: `${interpreter} ran but did not report its modules: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}` };
  }
  const [major = 0, minor = 0] = report.python.split('.').map(Number);
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    return { ...base, ok: false, pythonVersion: report.python, fixCommand: null,
      problem: `${interpreter} is Python ${report.python}; the worker needs Python ≥ ${MIN_PYTHON.join('.')}` };
  }
  const ok = report.missing.length === 0;
  return {
    interpreter,
    ok,
    pythonVersion: report.python,
    found: report.found,
    missing: report.missing,
    problem: ok ? null : `${interpreter} lacks ${report.missing.map((m) => m.module).join(', ')} (${report.missing[0]?.error ?? ''}); run \`${fix}\` or \`npm run setup\``,
    fixCommand: ok ? null : fix,
  };
}

function execProbe(interpreter: string, timeoutMs: number): Promise<{ stdout: string; stderr: string } | { failure: string }> {
  return new Promise((resolve) => {
    execFile(interpreter, ['-c', PROBE, ...WORKER_MODULES], { timeout: timeoutMs, maxBuffer: 4 << 20 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        resolve({ failure: `cannot run ${interpreter}: not found. Install Python ≥ ${MIN_PYTHON.join('.')}, run \`npm run setup\`, or set rlvrStudio.pythonPath / --python` });
      } else if (error && error.killed) {
        resolve({ failure: `${interpreter} did not finish importing ${WORKER_MODULES.join(', ')} within ${timeoutMs} ms` });
      } else if (error && stdout.trim() === '') {
        resolve({ failure: `${interpreter} failed: ${error.message.split('\n')[0] ?? ''} ${stderr.trim().split('\n').slice(-2).join(' | ')}` });
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

interface ProbeReport {
  python: string;
  found: Record<string, string>;
  missing: MissingModule[];
}

function parseProbe(stdout: string): ProbeReport | null {
  try {
    const value: unknown = JSON.parse(stdout);
    if (typeof value !== 'object' || value === null) return null;
    const { python, found, missing } = value as Record<string, unknown>;
    if (typeof python !== 'string' || typeof found !== 'object' || found === null || !Array.isArray(missing)) return null;
    const entries = Object.entries(found).filter((e): e is [string, string] => typeof e[1] === 'string');
    const missingModules = missing.filter((m): m is MissingModule =>
      typeof m === 'object' && m !== null && typeof (m as MissingModule).module === 'string' && typeof (m as MissingModule).error === 'string');
    return { python, found: Object.fromEntries(entries), missing: missingModules };
  } catch {
    return null;
  }
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
