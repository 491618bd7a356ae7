import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { studioRoot } from '../../paths';
import type { Command } from '../command';

export const versionCommand: Command = {
  name: 'version',
  summary: 'print the RLVR Studio version',
  usage: 'usage: rlvr version',
  async run(argv, io) {
    parseArgs({ args: argv, strict: true, options: {} }); // no flags: a stray one is a usage error
    const manifest = JSON.parse(readFileSync(join(studioRoot(), 'package.json'), 'utf8')) as { version: string };
    io.stdout(`rlvr-studio ${manifest.version}\n`);
    return 0;
  },
};
