/*
 * (being written)
 */
import type { CommandRow } from './types.js';

export const commandCommands: CommandRow[] = [];
