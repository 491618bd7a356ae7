/**
 * The managed Python environment's pure parts: where the venv lives, the environment the setup
 * script and the CLI get, what the progress shows, the setup report and the interpreter note.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSetupReport, parseSetupOutput } from '../../src/extension/core/setup-report';
import {
  cliEnvironment, interpreterNote, managedVenvDir, setupEnvironment, setupProgress, venvPython,
} from '../../src/extension/core/studio-venv';

test('the venv lives in global storage unless rlvrStudio.venvPath names a folder (absolute or ~/)', () => {
  const storage = '/home/u/.config/Code/User/globalStorage/rlvr-studio.rlvr-studio';
  assert.equal(managedVenvDir(storage, undefined, '/home/u'), `${storage}/python-venv`);
  assert.equal(managedVenvDir(storage, '  ', '/home/u'), `${storage}/python-venv`);
  assert.equal(managedVenvDir(storage, '/opt/rlvr-venv', '/home/u'), '/opt/rlvr-venv');
  assert.equal(managedVenvDir(storage, '~/venvs/rlvr', '/home/u'), '/home/u/venvs/rlvr');
  assert.equal(managedVenvDir(storage, '~', '/home/u'), '/home/u');
  assert.equal(venvPython('/v', 'linux'), '/v/bin/python');
  assert.equal(venvPython('C:\\v', 'win32').replace(/\\/g, '/'), 'C:/v/Scripts/python.exe');
});

test('the CLI is told the venv; the setup script installs into it with pip\'s progress on', () => {
  const base = { PATH: '/usr/bin', RLVR_STUDIO_VENV: '/stale' };
  assert.deepEqual(cliEnvironment(base, '/g/python-venv'), { PATH: '/usr/bin', RLVR_STUDIO_VENV: '/g/python-venv' });
  assert.deepEqual(setupEnvironment({ PATH: '/usr/bin' }, '/g/python-venv'), { PATH: '/usr/bin', RLVR_VENV: '/g/python-venv', RLVR_SETUP_PIP_PROGRESS: '1' });
  assert.equal(base.RLVR_STUDIO_VENV, '/stale', 'the base environment is not modified');
});

test('progress shows the script\'s own lines and pip\'s package steps, nothing else', () => {
  assert.equal(setupProgress('setup: using the existing venv /v (Python 3.11.7)'), 'using the existing venv /v (Python 3.11.7)');
  assert.equal(setupProgress('Collecting torch<3,>=2.11 (from -r src/trainer/worker/requirements.txt (line 6))'), 'Collecting torch<3,>=2.11');
  assert.equal(setupProgress('  Downloading torch-2.15.0-cp311-cp311-manylinux_2_28_x86_64.whl (900.1 MB)'),
    'Downloading torch-2.15.0-cp311-cp311-manylinux_2_28_x86_64.whl (900.1 MB)');
  assert.equal(setupProgress('Installing collected packages: sympy, torch'), 'Installing collected packages: sympy, torch');
  assert.equal(setupProgress('Requirement already satisfied: torch<3,>=2.11 in /v/lib/python3.11/site-packages (2.15.0)'), null);
  assert.equal(setupProgress(''), null);
});

test('setup report: where the venv is, the torch build, and why CUDA is not usable', () => {
  const reused = parseSetupOutput([
    'setup: using the existing venv /g/python-venv (Python 3.11.7)',
    'Requirement already satisfied: torch<3,>=2.11 in /g/python-venv/lib/python3.11/site-packages (2.15.0)',
    'setup: torch 2.15.0+cu132; CUDA usable: False (this build needs CUDA 13.2, but no NVIDIA driver was found (no nvidia-smi): no GPU, or its driver is not installed)',
  ], 0);
  assert.deepEqual(reused.venv, { path: '/g/python-venv', created: false, python: 'Python 3.11.7' });
  assert.equal(reused.cudaUsable, false);
  assert.match(reused.cudaReason ?? '', /^this build needs CUDA 13\.2, but no NVIDIA driver was found/);
  assert.equal(formatSetupReport(reused),
    'Python environment ready in /g/python-venv (reused, Python 3.11.7). PyTorch 2.15.0+cu132 (CUDA 13.2 build); CUDA usable: no — this build '
    + 'needs CUDA 13.2, but no NVIDIA driver was found (no nvidia-smi): no GPU, or its driver is not installed. Training runs on the CPU: fine '
    + 'for the tiny demo model, slow for real ones.');
  const created = parseSetupOutput(['setup: creating the venv /g/python-venv with Python 3.12.1', 'setup: torch 2.15.0+cpu; CUDA usable: False (CPU-only build of PyTorch; …)'], 0);
  assert.equal(created.venv?.created, true);
  assert.match(formatSetupReport(created), /^Python environment ready in \/g\/python-venv \(created, Python 3\.12\.1\)\. PyTorch 2\.15\.0\+cpu \(CPU-only build\); CUDA usable: no — CPU-only build/);
});

test('setup report: a failed install names pip\'s error and the exit, and the venv that is not ready', () => {
  const failed = parseSetupOutput([
    'setup: creating the venv /g/python-venv with Python 3.11.7',
    'setup: installing the compute worker\'s requirements (PyTorch is large; the first run takes minutes)',
    'ERROR: Could not find a version that satisfies the requirement torch<3,>=2.11 (from versions: none)',
    'ERROR: No matching distribution found for torch<3,>=2.11',
  ], 1);
  assert.equal(failed.torchVersion, null);
  assert.deepEqual(failed.problems, [
    'pip: Could not find a version that satisfies the requirement torch<3,>=2.11 (from versions: none)',
    'pip: No matching distribution found for torch<3,>=2.11',
    'the setup script exited with code 1; its full output is in "RLVR: Show Logs"',
  ]);
  assert.match(formatSetupReport(failed), /^Python environment in \/g\/python-venv \(created, Python 3\.11\.7\) not ready\. PyTorch is not installed\. Missing or wrong: pip: Could not find/);
  const noBwrap = parseSetupOutput(['setup: missing system packages: bubblewrap. Debian/Ubuntu: sudo apt-get install -y bubblewrap'], 2);
  assert.match(noBwrap.problems[0] ?? '', /^missing system packages: bubblewrap\. Debian\/Ubuntu: sudo apt-get install -y bubblewrap$/);
});

test('the interpreter note: silent when the CLI will use the managed venv, actionable when something shadows it', () => {
  const managed = '/g/python-venv/bin/python';
  assert.equal(interpreterNote({ path: managed, source: 'studio-venv' }, managed, true), null);
  assert.match(interpreterNote({ path: '/ws/.venv/bin/python', source: 'workspace-venv' }, managed, false) ?? '',
    /\/ws\/\.venv\/bin\/python comes first .* lacks the worker's packages: install them there, or set rlvrStudio\.pythonPath to \/g\/python-venv\/bin\/python$/);
  assert.doesNotMatch(interpreterNote({ path: '/ws/.venv/bin/python', source: 'workspace-venv' }, managed, true) ?? '', /lacks/);
  assert.match(interpreterNote({ path: '/opt/py', source: 'explicit' }, managed, false) ?? '', /^rlvrStudio\.pythonPath is set, .* lacks the worker's packages: clear the setting$/);
});
