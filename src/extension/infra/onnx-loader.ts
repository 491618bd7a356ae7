/**
 * The real ONNX loader for Solve with Trained Model. onnxruntime-node is a native module that takes
 * a while to load, so the inference library is imported on the first solve, not at activation.
 */
import type { OnnxLoader } from '../core/solve/model-cache';

export const loadOnnxModel: OnnxLoader = async (dir, options) => {
  // The explicit index.js: a dynamic import is resolved as ESM (esbuild maps it to index.ts).
  const inference = await import('../../trainer/inference/index.js');
  return inference.loadOnnxModel(dir, options);
};
