/** Finding and describing the Python interpreter that runs a workspace's tests. */
export { resolveTestInterpreter, type ResolvedInterpreter, type ResolveOptions, type InterpreterSource } from './resolve';
export { describeInterpreter, requirePytest, parseProbe, type InterpreterInfo } from './describe';
export { interpreterReadOnlyPaths } from './binds';
export { studioVenvDirs, STUDIO_VENV_ENV, type StudioVenvOptions } from './studio-venv';
