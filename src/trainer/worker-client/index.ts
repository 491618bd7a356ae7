/** The host side of the compute-worker protocol: start a worker, run typed ops, diagnose Python. */
export { WorkerClient, type RequestOptions, type SpawnFn, type WorkerStartOptions } from './worker-client';
export { WorkerError, WorkerExitedError, WorkerProtocolError, WorkerStartError, WorkerVersionError } from './errors';
export {
  diagnosePython,
  findPythonInterpreter,
  WORKER_MODULES,
  type Interpreter,
  type InterpreterQuery,
  type InterpreterSource,
  type MissingModule,
  type PythonDiagnosis,
} from './python';
