/**
 * Reading `scripts/setup.sh`'s output into a report: which PyTorch build got installed, whether
 * CUDA is usable, and what is missing. The script's lines start with `setup:` (see the script).
 */

export interface SetupReport {
  /** e.g. "2.5.1+cu124"; null when the script never got that far. */
  torchVersion: string | null;
  /** Human description of the build: "CUDA 12.4 build", "CPU-only build"... */
  torchBuild: string | null;
  cudaUsable: boolean | null;
  /** The GPU name when CUDA is usable. */
  device: string | null;
  /** What is missing or went wrong, one actionable sentence each. */
  problems: string[];
}

const TORCH_LINE = /^setup: torch (\S+); CUDA usable: (True|False)(?: \((.*)\))?/;

export function torchBuild(version: string): string {
  const local = version.split('+')[1];
  if (local === undefined) return 'PyPI default build (bundles CUDA on Linux x86-64)';
  if (local === 'cpu') return 'CPU-only build';
  const cuda = /^cu(\d+)(\d)$/.exec(local);
  if (cuda) return `CUDA ${cuda[1]}.${cuda[2]} build`;
  const rocm = /^rocm([\d.]+)$/.exec(local);
  return rocm ? `ROCm ${rocm[1]} build` : `${local} build`;
}

/** Problems are the script's warnings and errors (they name the fix), plus a failed exit. */
export function parseSetupOutput(lines: readonly string[], exitCode: number | null): SetupReport {
  const report: SetupReport = { torchVersion: null, torchBuild: null, cudaUsable: null, device: null, problems: [] };
  for (const raw of lines) {
    const line = raw.trim();
    const torch = TORCH_LINE.exec(line);
    if (torch) {
      report.torchVersion = torch[1] ?? null;
      report.torchBuild = report.torchVersion && torchBuild(report.torchVersion);
      report.cudaUsable = torch[2] === 'True';
      report.device = report.cudaUsable ? torch[3] ?? null : null;
    } else if (/^setup: (WARNING|.*not found|could not)/.test(line)) {
      report.problems.push(line.replace(/^setup: (WARNING: )?/, ''));
    } else if (/^(Debian|Ubuntu|Debian\/Ubuntu):/.test(line) && report.problems.length > 0) {
      report.problems[report.problems.length - 1] += ` (${line})`;
    }
  }
  if (exitCode !== 0) report.problems.push(`the setup script exited with code ${exitCode}; its full output is in "RLVR: Show Logs"`);
  return report;
}

/** One paragraph for a notification. */
export function formatSetupReport(r: SetupReport): string {
  const torch = r.torchVersion ? `PyTorch ${r.torchVersion} (${r.torchBuild}); CUDA usable: ${r.cudaUsable ? `yes${r.device ? ` (${r.device})` : ''}` : 'no (training runs on the CPU: fine for the tiny demo model, slow for real ones)'}.` : 'PyTorch is not installed.';
  return r.problems.length === 0 ? `Python environment ready. ${torch}` : `${torch} Missing or wrong: ${r.problems.join('; ')}.`;
}
