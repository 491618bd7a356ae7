/** The slice of the verifier package the training loop uses. */
import type { Task } from '../tasks/task';
import type { VerifierPool } from '../verifier';

export { verifyCandidate } from '../verifier';

export interface LanguagePoolsLike {
  forTask(task: Pick<Task, 'language'>): Promise<VerifierPool>;
}
