/*
 * Node's Buffer has latin1Slice/latin1Write (the bindings behind toString('latin1') and
 * write(s, 'latin1')), untyped in @types/node. The hot path calls them directly to skip the
 * encoding-name dispatch; they exist on every Node version we support (>= 20).
 */
export {};
declare global {
  interface Buffer {
    latin1Slice(start?: number, end?: number): string;
    latin1Write(s: string, offset?: number, length?: number): number;
  }
}
