/*
 * (being written)
 */
import type { CommandRow } from './types.js';

export const serverCommands: CommandRow[] = [];
