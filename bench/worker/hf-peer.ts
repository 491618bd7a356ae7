/**
 * The benchmark peer process (bench/hf_generate.py: plain Hugging Face `model.generate`), driven one
 * repetition at a time over a line protocol so its runs interleave with the worker's.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineSplitter } from '../../src/trainer/worker-client/lines';

export interface PeerSettings {
  python: string;
  model: string;
  /** Prompt token ids exactly as the worker rendered them. */
  promptIds: number[][];
  threads: number;
  n: number;
  maxNewTokens: number;
  temperature: number;
  topP: number;
  eos: number[];
  pad: number;
}

export interface PeerRun { tokens: number; seconds: number; rows: number; stoppedRows: number }

export class HfPeer {
  private readonly lines = new LineSplitter();
  private readonly queued: string[] = [];
  private waiter: ((line: string) => void) | undefined;
  private stderrTail: string[] = [];
  private exitNote: string | undefined;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of this.lines.push(chunk)) this.deliver(line);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = [...this.stderrTail, ...chunk.toString('utf8').split('\n')].slice(-30);
    });
    child.on('close', (code, signal) => {
      this.exitNote = `bench/hf_generate.py exited (${signal ?? `code ${String(code)}`})`;
      this.waiter?.('');
    });
  }

  /** Starts the peer and waits until it has loaded the model. */
  static async start(s: PeerSettings, scratch: string): Promise<HfPeer> {
    const promptsFile = join(scratch, 'hf-prompts.json');
    writeFileSync(promptsFile, JSON.stringify(s.promptIds));
    const args = [join(__dirname, '..', 'hf_generate.py'), '--model', s.model, '--prompts', promptsFile,
      '--threads', String(s.threads), '--n', String(s.n), '--max-new-tokens', String(s.maxNewTokens),
      '--temperature', String(s.temperature), '--top-p', String(s.topP), '--eos', ...s.eos.map(String), '--pad', String(s.pad)];
    const peer = new HfPeer(spawn(s.python, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
    const ready = await peer.next() as { ready?: boolean; rows?: number };
    if (ready.ready !== true) throw peer.failure(`expected a ready line, got ${JSON.stringify(ready)}`);
    return peer;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw this.failure('has no pid');
    return this.child.pid;
  }

  /** One `model.generate` over the whole batch, sampled with torch seed `seed`. */
  async run(seed: number): Promise<PeerRun> {
    this.child.stdin.write(`${JSON.stringify({ seed })}\n`);
    const reply = await this.next() as { tokens?: number; seconds?: number; rows?: number; stopped_rows?: number };
    if (typeof reply.tokens !== 'number' || typeof reply.seconds !== 'number' || typeof reply.rows !== 'number' || typeof reply.stopped_rows !== 'number') {
      throw this.failure(`answered ${JSON.stringify(reply)}`);
    }
    return { tokens: reply.tokens, seconds: reply.seconds, rows: reply.rows, stoppedRows: reply.stopped_rows };
  }

  async close(): Promise<void> {
    if (this.exitNote) return;
    const closed = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await closed;
    clearTimeout(timer);
  }

  private deliver(line: string): void {
    if (line.trim() === '') return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w(line);
    } else {
      this.queued.push(line);
    }
  }

  private async next(): Promise<unknown> {
    const line = this.queued.shift() ?? (this.exitNote ? '' : await new Promise<string>((resolve) => { this.waiter = resolve; }));
    if (line === '') throw this.failure('ended before answering');
    try {
      return JSON.parse(line) as unknown;
    } catch {
      throw this.failure(`wrote a non-JSON line: ${line.slice(0, 200)}`);
    }
  }

  private failure(what: string): Error {
    return new Error(`HF peer (bench/hf_generate.py) ${what}${this.exitNote ? `; ${this.exitNote}` : ''}\n${this.stderrTail.join('\n')}`);
  }
}
