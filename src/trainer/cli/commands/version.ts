import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { studioRoot } from '../../paths';
import type { Command } from '../command';

export const versionCommand: Command = {
  name: 'version',
  summary: 'print the RLVR Studio version',
  usage: 'usage: rlvr version',
  async run(_argv, io) {
    const manifest = JSON.parse(readFileSync(join(studioRoot(), 'package.json'), 'utf8')) as { version: string };
    io.stdout(`rlvr-studio ${manifest.version}\n`);
    return 0;
  },
};
