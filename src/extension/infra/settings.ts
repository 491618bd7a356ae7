/** The `rlvrStudio.*` settings (each described in package.json), read fresh on every use. */
import * as vscode from 'vscode';

export interface StudioSettings {
  /** Empty: the CLI's own search (workspace .venv, RLVR Studio's .venv, python3). */
  pythonPath: string | undefined;
  /** Empty: `<workspace>/.rlvr/runs.db`. */
  storePath: string | undefined;
  /** Applied after the preset on every new run, as `--set` overrides. */
  trainSettings: Record<string, unknown>;
  demoModelPath: string | undefined;
  /** Empty: `<global storage>/python-venv` (core/studio-venv.ts). */
  venvPath: string | undefined;
  codeLens: boolean;
  decorations: boolean;
}

const nonEmpty = (v: string | undefined): string | undefined => (v && v.trim() !== '' ? v.trim() : undefined);

export function readSettings(scope?: vscode.ConfigurationScope): StudioSettings {
  const c = vscode.workspace.getConfiguration('rlvrStudio', scope);
  const train = c.get<unknown>('trainSettings');
  return {
    pythonPath: nonEmpty(c.get<string>('pythonPath')),
    storePath: nonEmpty(c.get<string>('storePath')),
    trainSettings: train !== null && typeof train === 'object' && !Array.isArray(train) ? (train as Record<string, unknown>) : {},
    demoModelPath: nonEmpty(c.get<string>('demoModelPath')),
    venvPath: nonEmpty(c.get<string>('venvPath')),
    codeLens: c.get<boolean>('codeLens.enabled', true),
    decorations: c.get<boolean>('decorations.enabled', true),
  };
}
