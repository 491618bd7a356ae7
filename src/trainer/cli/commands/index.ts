/** The table of `rlvr` sub-commands, in the order `rlvr help` lists them. Add new commands here. */
import type { Command } from '../command';
import { versionCommand } from './version';

export const commands: Command[] = [versionCommand];
