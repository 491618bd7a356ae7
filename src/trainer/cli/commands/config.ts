import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { UsageError } from '../../errors';
import { parseOverride, readConfigFile, resolveConfig } from '../../config/config';
import { defaultsMarkdownTable } from '../../config/defaults-table';
import type { Command } from '../command';

const usage = `usage: rlvr config [--workspace DIR] [--config FILE] [--set KEY=VALUE ...] [--json]
       rlvr config --defaults

Prints the resolved training configuration: defaults ← DIR/.rlvr/config.json (or --config FILE)
← --set overrides. An unknown or mistyped setting is an error naming it.
  --defaults   print the table of every setting with its type, default and meaning (Markdown)`;

export const configCommand: Command = {
  name: 'config',
  summary: 'show the resolved training configuration, or the table of defaults',
  usage,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv, strict: true,
      options: {
        workspace: { type: 'string' }, config: { type: 'string' }, set: { type: 'string', multiple: true },
        json: { type: 'boolean' }, defaults: { type: 'boolean' },
      },
    });
    if (values.defaults) {
      io.stdout(`${defaultsMarkdownTable()}\n`);
      return 0;
    }
    if (!values.workspace && !values.config) throw new UsageError('give --workspace DIR or --config FILE', usage);
    const config = resolveConfig(configLayers(values.workspace, values.config, values.set ?? []));
    io.stdout(values.json ? `${JSON.stringify(config)}\n` : `${JSON.stringify(config, null, 2)}\n`);
    return 0;
  },
};

/** Defaults ← the workspace's (or an explicit) config file ← --set overrides. */
export function configLayers(workspace: string | undefined, configFile: string | undefined, sets: string[]) {
  const file = configFile
    ? readConfigFile(configFile, true)
    : workspace ? readConfigFile(join(workspace, '.rlvr', 'config.json'), false) : null;
  const overrides = Object.fromEntries(sets.map(parseOverride));
  return [...(file ? [file] : []), { source: '--set', values: overrides }];
}
