/** Running untrusted commands: bubblewrap namespaces + rlimits (see docs/verifier.md, "Sandbox"). */
export { spawnSandboxed, runSandboxed, type SandboxedProcess, type SpawnOptions } from './spawn';
export { checkSandboxSupport, requireSandboxSupport, classifyFailure, APPARMOR_FIX } from './support';
export { buildSandboxArgv, type HostLayout } from './argv';
export { detectHost, type HostTools } from './host';
export * from './types';
