/**
 * Reading `scripts/setup.sh`'s output into a report: which PyTorch build got installed, whether
 * CUDA is usable, and what is missing. The script's lines start with `setup:` (see the script).
 */

export interface SetupVenv {
  path: string;
  /** False: an existing venv was reused. */
  created: boolean;
  /** e.g. "Python 3.11.7" */
  python: string;
}

export interface SetupReport {
  /** The venv the script created or reused; null when it never got that far. */
  venv: SetupVenv | null;
  /** e.g. "2.5.1+cu124"; null when the script never got that far. */
  torchVersion: string | null;
  /** Human description of the build: "CUDA 12.4 build", "CPU-only build"... */
  torchBuild: string | null;
  cudaUsable: boolean | null;
  /** The GPU name when CUDA is usable. */
  device: string | null;
  /** Why CUDA is not usable (CPU-only build, no driver...), as the script worked it out. */
  cudaReason: string | null;
  /** What is missing or went wrong, one actionable sentence each. */
  problems: string[];
}

const TORCH_LINE = /^setup: torch (\S+); CUDA usable: (True|False)(?: \((.*)\))?$/;
const VENV_CREATED = /^setup: creating the venv (.+) with (Python \S+)$/;
const VENV_REUSED = /^setup: using the existing venv (.+) \((Python \S+)\)$/;

export function torchBuild(version: string): string {
  const local = version.split('+')[1];
  if (local === undefined) return 'PyPI default build (bundles CUDA on Linux x86-64)';
  if (local === 'cpu') return 'CPU-only build';
  const cuda = /^cu(\d+)(\d)$/.exec(local);
  if (cuda) return `CUDA ${cuda[1]}.${cuda[2]} build`;
  const rocm = /^rocm([\d.]+)$/.exec(local);
  return rocm ? `ROCm ${rocm[1]} build` : `${local} build`;
}

/**
 * Problems are the script's warnings and errors (they name the fix), pip's `ERROR:` lines (a
 * package that could not be found or built), plus a failed exit.
 */
export function parseSetupOutput(lines: readonly string[], exitCode: number | null): SetupReport {
  const report: SetupReport = { venv: null, torchVersion: null, torchBuild: null, cudaUsable: null, device: null, cudaReason: null, problems: [] };
  for (const raw of lines) {
    const line = raw.trim();
    const torch = TORCH_LINE.exec(line);
    const venv = VENV_CREATED.exec(line) ?? VENV_REUSED.exec(line);
    if (torch) {
      report.torchVersion = torch[1] ?? null;
      report.torchBuild = report.torchVersion && torchBuild(report.torchVersion);
      report.cudaUsable = torch[2] === 'True';
      report.device = report.cudaUsable ? torch[3] ?? null : null;
      report.cudaReason = report.cudaUsable ? null : torch[3] ?? null;
    } else if (venv) {
      report.venv = { path: venv[1] ?? '', created: line.startsWith('setup: creating'), python: venv[2] ?? '' };
    } else if (/^setup: (WARNING|missing|.*not found|could not)/.test(line)) {
      report.problems.push(line.replace(/^setup: (WARNING: )?/, ''));
    } else if (/^(Debian|Ubuntu|Debian\/Ubuntu):/.test(line) && report.problems.length > 0) {
      report.problems[report.problems.length - 1] += ` (${line})`;
    } else if (/^ERROR: /.test(line)) {
      report.problems.push(`pip: ${line.slice('ERROR: '.length)}`);
    }
  }
  if (exitCode !== 0) report.problems.push(`the setup script exited with code ${exitCode}; its full output is in "RLVR: Show Logs"`);
  return report;
}

function cudaText(r: SetupReport): string {
  if (r.cudaUsable) return `yes${r.device ? ` (${r.device})` : ''}`;
  const why = r.cudaReason && !/^training runs on CPU$/.test(r.cudaReason) ? ` — ${r.cudaReason}` : '';
  return `no${why}. Training runs on the CPU: fine for the tiny demo model, slow for real ones`;
}

/** One paragraph for a notification. */
export function formatSetupReport(r: SetupReport): string {
  const where = r.venv ? ` in ${r.venv.path} (${r.venv.created ? 'created' : 'reused'}, ${r.venv.python})` : '';
  const torch = r.torchVersion ? `PyTorch ${r.torchVersion} (${r.torchBuild}); CUDA usable: ${cudaText(r)}.` : 'PyTorch is not installed.';
  return r.problems.length === 0
    ? `Python environment ready${where}. ${torch}`
    : `Python environment${where} not ready. ${torch} Missing or wrong: ${r.problems.join('; ')}.`;
}
