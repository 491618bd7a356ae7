/** The table of `rlvr` sub-commands, in the order `rlvr help` lists them. Add new commands here. */
import type { Command } from '../command';
import { ahaCommand } from './aha';
import { configCommand } from './config';
import { demoCommand } from './demo';
import { evalCommand } from './eval';
import { exportCommand } from './export';
import { generateCommand } from './generate';
import { runsCommand } from './runs';
import { spliceCommand } from './splice';
import { tasksCommand } from './tasks';
import { trainCommand } from './train';
import { tracesCommand } from './traces';
import { verifyCommand } from './verify';
import { versionCommand } from './version';

export const commands: Command[] = [demoCommand, tasksCommand, verifyCommand, spliceCommand, trainCommand, runsCommand, tracesCommand, evalCommand, exportCommand, generateCommand, configCommand, ahaCommand, versionCommand];
