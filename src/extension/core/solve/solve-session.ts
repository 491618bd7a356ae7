/**
 * One "Solve with Trained Model" run, without VS Code: load the model (through a port), generate
 * from the task's training prompt with the think text streamed out as events, extract the code
 * exactly as training does (src/trainer/rl/completion.ts), verify it through a port (the sandboxed
 * verifier in a child process) and report. Nothing here touches the workspace: the code only ever
 * goes to the verifier, and into the file later, after the user has seen the diff and confirmed.
 */
import type { GenerateOptions, OnnxModel } from '../../../trainer/inference/types';
import { parseCompletion } from '../../../trainer/rl/completion';
import type { PromptMessage } from '../../../trainer/tasks/prompt';
import type { VerificationResult } from '../../../trainer/verifier/result';
import type { SolveEvent, SolveGenerationVM, SolveModelVM, SolveTaskVM, SolveVerificationVM } from '../../../shared/solve-state';
import { CancelledError } from '../errors';
import { errorText } from '../store-port';

export interface SolveRequest {
  solveId: number;
  task: SolveTaskVM;
  model: SolveModelVM;
  prompt: PromptMessage[];
  generation: Omit<GenerateOptions, 'signal' | 'onText'>;
}

export interface SolvePorts {
  loadModel: (dir: string, signal: AbortSignal) => Promise<OnnxModel>;
  /** Verifies `code` for the request's task in the sandbox (never in the workspace). */
  verify: (code: string, signal: AbortSignal) => Promise<VerificationResult>;
  emit: (event: SolveEvent) => void;
}

export type SolveOutcome =
  | { kind: 'verified'; code: string; verification: SolveVerificationVM }
  | { kind: 'no-code' }
  | { kind: 'cancelled' }
  | { kind: 'failed'; message: string };

/** The prompt as the panel shows it: each message under its role. */
export function promptText(messages: readonly PromptMessage[]): string {
  return messages.map((m) => `${m.role}:\n${m.content}`).join('\n\n');
}

export function verificationVM(result: VerificationResult): SolveVerificationVM {
  return {
    passed: result.passed,
    reward: result.reward,
    seconds: result.seconds,
    flags: result.flags.map((f) => ({ code: f.code, message: f.message })),
    tests: result.tests.map((t) => ({ testId: t.id, outcome: t.outcome, duration: t.duration, message: t.message || null, heldOut: t.heldOut })),
  };
}

export class SolveSession {
  private readonly abort = new AbortController();
  private outcome: SolveOutcome | null = null;

  constructor(readonly request: SolveRequest, private readonly ports: SolvePorts) {}

  get id(): number {
    return this.request.solveId;
  }

  /** The outcome once `run` has finished, else null. */
  get result(): SolveOutcome | null {
    return this.outcome;
  }

  cancel(): void {
    this.abort.abort();
  }

  get cancelled(): boolean {
    return this.abort.signal.aborted;
  }

  async run(): Promise<SolveOutcome> {
    const { solveId, task, model, prompt } = this.request;
    this.ports.emit({ type: 'session', solveId, task, model, prompt: promptText(prompt) });
    this.outcome = await this.steps().catch((error: unknown) => this.failure(error));
    return this.outcome;
  }

  private async steps(): Promise<SolveOutcome> {
    const { solveId } = this.request;
    const signal = this.abort.signal;
    const phase = (p: 'loading' | 'generating' | 'verifying' | 'verified' | 'failed' | 'cancelled', message: string | null = null) =>
      this.ports.emit({ type: 'phase', solveId, phase: p, message });

    phase('loading');
    const onnx = await this.ports.loadModel(this.request.model.dir, signal);
    if (signal.aborted) return this.stopped();
    this.ports.emit({ type: 'model', solveId, provider: onnx.executionProvider });

    phase('generating');
    const generated = await onnx.generateChat(this.request.prompt, {
      ...this.request.generation,
      signal,
      onText: (text) => { if (text) this.ports.emit({ type: 'delta', solveId, text }); },
    });
    if (signal.aborted || generated.finishReason === 'cancelled') return this.stopped();
    const parsed = parseCompletion(generated.text);
    const generation: SolveGenerationVM = {
      think: parsed.think, answer: parsed.answer, code: parsed.code, finishReason: generated.finishReason,
      completionTokens: generated.tokenIds.length, tokensPerSecond: generated.tokensPerSecond,
    };
    this.ports.emit({ type: 'generated', solveId, generation });
    if (parsed.code === null) {
      const why = generated.finishReason === 'length' ? ' (it ran out of tokens before answering)' : '';
      phase('failed', `The model's answer has no code block${why}, so there is nothing to verify.`);
      return { kind: 'no-code' };
    }

    phase('verifying');
    const result = await this.ports.verify(parsed.code, signal);
    if (signal.aborted) return this.stopped();
    const verification = verificationVM(result);
    this.ports.emit({ type: 'verified', solveId, verification });
    phase('verified');
    return { kind: 'verified', code: parsed.code, verification };
  }

  private stopped(): SolveOutcome {
    this.ports.emit({ type: 'phase', solveId: this.request.solveId, phase: 'cancelled', message: 'Cancelled.' });
    return { kind: 'cancelled' };
  }

  private failure(error: unknown): SolveOutcome {
    if (this.abort.signal.aborted || error instanceof CancelledError) return this.stopped();
    const message = errorText(error);
    this.ports.emit({ type: 'phase', solveId: this.request.solveId, phase: 'failed', message });
    return { kind: 'failed', message };
  }
}
