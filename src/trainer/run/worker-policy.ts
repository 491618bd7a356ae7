/**
 * The loop's PolicyEngine over the Python compute worker: translates between the loop's camelCase
 * domain types and the protocol's snake_case frames (src/shared/protocol), nothing more.
 */
import type { WorkerClient } from '../worker-client';
import type { Group, Sample, TrainStepResult } from '../../shared/protocol/worker-protocol.generated';
import type { PromptMessage } from '../tasks/prompt';
import type {
  GeneratedGroup, GeneratedSample, GenerationSettings, PolicyEngine, TrainSequence, TrainSettings, TrainStepMetrics,
} from './ports';

export class WorkerPolicy implements PolicyEngine {
  constructor(private readonly worker: WorkerClient) {}

  async generate(
    prompts: PromptMessage[][],
    settings: GenerationSettings,
    onGroup: (group: GeneratedGroup) => void,
    signal?: AbortSignal,
  ): Promise<GeneratedGroup[]> {
    const result = await this.worker.request('generate', {
      prompts: prompts.map((messages) => ({ messages })),
      n: settings.n,
      temperature: settings.temperature,
      top_p: settings.topP,
      max_new_tokens: settings.maxNewTokens,
      stop: [],
      seed: settings.seed,
      emit_groups: true,
    }, { onGroup: (frame) => onGroup(toGroup(frame)), ...(signal ? { signal } : {}) });
    return result.groups.map(toGroup);
  }

  async trainStep(sequences: TrainSequence[], s: TrainSettings, signal?: AbortSignal): Promise<TrainStepMetrics> {
    const result = await this.worker.request('train_step', {
      sequences: sequences.map((q) => ({
        prompt_token_ids: q.promptTokenIds,
        completion_token_ids: q.completionTokenIds,
        advantage: q.advantage,
        old_logprobs: q.oldLogprobs,
        truncated: q.truncated,
      })),
      loss_type: s.lossType,
      epsilon_low: s.epsilonLow,
      epsilon_high: s.epsilonHigh,
      beta: s.beta,
      mask_truncated: s.maskTruncated,
      micro_batch_size: s.microBatchSize,
      temperature: s.temperature,
      max_completion_length: s.maxCompletionLength,
    }, signal ? { signal } : {});
    return toMetrics(result);
  }

  async save(dir: string): Promise<{ step: number }> {
    const { step } = await this.worker.request('save', { dir });
    return { step };
  }

  async load(dir: string): Promise<{ step: number }> {
    const { step } = await this.worker.request('load', { dir });
    return { step };
  }
}

function toGroup(group: Pick<Group, 'prompt_index' | 'prompt_token_ids' | 'samples'>): GeneratedGroup {
  return { promptIndex: group.prompt_index, promptTokenIds: group.prompt_token_ids, samples: group.samples.map(toSample) };
}

function toSample(sample: Sample): GeneratedSample {
  return {
    tokenIds: sample.token_ids,
    text: sample.text,
    logprobs: sample.logprobs,
    entropies: sample.entropies,
    tokenOffsets: sample.token_offsets,
    finishReason: sample.finish_reason,
  };
}

function toMetrics(r: TrainStepResult): TrainStepMetrics {
  return {
    step: r.step, loss: r.loss, policyLoss: r.policy_loss, kl: r.kl,
    clipFractionLow: r.clip_fraction_low, clipFractionHigh: r.clip_fraction_high,
    entropy: r.entropy, gradNorm: r.grad_norm, tokens: r.tokens, learningRate: r.learning_rate, seconds: r.time_s,
  };
}
