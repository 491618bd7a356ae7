/** The table of `rlvr` sub-commands, in the order `rlvr help` lists them. Add new commands here. */
import type { Command } from '../command';
import { ahaCommand } from './aha';
import { configCommand } from './config';
import { tasksCommand } from './tasks';
import { trainCommand } from './train';
import { verifyCommand } from './verify';
import { versionCommand } from './version';

export const commands: Command[] = [tasksCommand, verifyCommand, trainCommand, configCommand, ahaCommand, versionCommand];
