/* Types for the helpers of bench/lib.mjs that bench/parser.ts uses (the .mjs scripts need none). */
export function machineInfo(): string;
export function writeSection(name: string, markdown: string): void;
export function median(xs: number[]): number;
export function table(header: string[], rows: string[][]): string;
