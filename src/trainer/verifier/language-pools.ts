/**
 * One verifier pool per task language, created on first use: Python tasks go to warm pytest
 * fork-servers, JavaScript/TypeScript tasks to the node:test runner (verifier/js). Both speak the
 * same request/reply types, so scoring is shared.
 */
import { availableParallelism } from 'node:os';
import type { Task, TaskLanguage } from '../tasks/task';
import { jsServerFactory } from './js/js-server';
import { defaultPoolSize, VerifierPool } from './pool';
import { createPythonPool } from './python-server';

export interface LanguagePoolOptions {
  workspace: string;
  python?: string;
  size?: number;
  unsafeNoSandbox?: boolean;
}

export class LanguagePools {
  private readonly pools = new Map<'python' | 'js', Promise<VerifierPool>>();

  constructor(private readonly options: LanguagePoolOptions) {}

  /** The pool for a task's language (created, with its checks, on first use). */
  forTask = (task: Pick<Task, 'language'>): Promise<VerifierPool> => this.forLanguage(task.language);

  forLanguage(language: TaskLanguage): Promise<VerifierPool> {
    const key = language === 'python' ? 'python' : 'js';
    let pool = this.pools.get(key);
    if (!pool) {
      pool = key === 'python' ? this.python() : this.js();
      this.pools.set(key, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    const pools = await Promise.allSettled([...this.pools.values()]);
    this.pools.clear();
    await Promise.all(pools.map((p) => (p.status === 'fulfilled' ? p.value.close() : undefined)));
  }

  private async python(): Promise<VerifierPool> {
    return (await createPythonPool(this.options)).pool;
  }

  private async js(): Promise<VerifierPool> {
    const factory = jsServerFactory({ unsafeNoSandbox: this.options.unsafeNoSandbox });
    return new VerifierPool({ size: this.options.size ?? defaultPoolSize(availableParallelism()), factory });
  }
}
