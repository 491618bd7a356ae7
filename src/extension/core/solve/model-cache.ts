/**
 * Keeps the last ONNX model loaded in the extension host, so solving a second function does not
 * load it again (loading reads and optimises the whole graph). One model at a time: asking for
 * another folder disposes the previous one. The loader is injected (src/trainer/inference's
 * `loadOnnxModel` in the extension, a fake in tests).
 */
import type { LoadOnnxModelOptions, OnnxModel } from '../../../trainer/inference/types';

export type OnnxLoader = (dir: string, options: LoadOnnxModelOptions) => Promise<OnnxModel>;

export class ModelCache {
  private current: { dir: string; model: Promise<OnnxModel> } | null = null;

  constructor(private readonly loader: OnnxLoader, private readonly options: () => LoadOnnxModelOptions = () => ({})) {}

  /** The model of `dir`, loaded once; a failed load is forgotten so the next call tries again. */
  get(dir: string): Promise<OnnxModel> {
    if (this.current?.dir === dir) return this.current.model;
    const previous = this.current;
    const model = (async () => {
      await previous?.model.then((m) => m.dispose(), () => undefined);
      return this.loader(dir, this.options());
    })();
    const entry = { dir, model };
    this.current = entry;
    model.catch(() => { if (this.current === entry) this.current = null; });
    return model;
  }

  /** The folder of the loaded (or loading) model. */
  get loadedDir(): string | null {
    return this.current?.dir ?? null;
  }

  async dispose(): Promise<void> {
    const entry = this.current;
    this.current = null;
    await entry?.model.then((m) => m.dispose(), () => undefined);
  }
}
