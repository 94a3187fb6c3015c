/*
 * Glob-style matching with the exact semantics of Redis's stringmatchlen: `*`, `?`, `[abc]`,
 * `[^a]`, `[a-z]` (reversed ranges allowed) and `\x` escapes, over latin1 strings (so over bytes),
 * optionally case-insensitive. Quirks kept on purpose, because KEYS/SCAN MATCH must agree with
 * Redis key for key:
 *  - an unterminated `[` class ends the pattern (it still matches one byte);
 *  - `[a-]` is a range from `a` to `]`, and the class goes on after that `]`;
 *  - range bounds compare as C's signed chars, so bytes >= 0x80 sort below 0x00;
 *  - `*` never matches when the string is empty (KEYS and SCAN special-case the pattern `*`);
 *  - more than 1000 nested `*` give up with no match.
 * Like Redis, a `*` whose rest cannot match anywhere stops earlier `*`s from trying longer
 * matches, which keeps patterns such as `*a*a*a*b` linear instead of exponential.
 */
const MAX_NESTING = 1000;

export function globMatch(pattern: string, str: string, nocase = false): boolean {
  return matchAt(pattern, 0, str, 0, nocase, { skipLonger: false }, 0);
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** A byte as C's signed `char` (for range comparisons). */
function signed(c: number): number {
  return c >= 128 ? c - 256 : c;
}

function matchAt(p: string, pi: number, s: string, si: number, nocase: boolean, state: { skipLonger: boolean }, nesting: number): boolean {
  if (nesting > MAX_NESTING) return false;
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si < slen) {
    const pc = p.charCodeAt(pi);
    if (pc === 42 /* * */) {
      while (pi + 1 < plen && p.charCodeAt(pi + 1) === 42) pi++;
      if (pi + 1 === plen) return true;
      for (; si < slen; si++) {
        if (matchAt(p, pi + 1, s, si, nocase, state, nesting + 1)) return true;
        if (state.skipLonger) return false;
      }
      state.skipLonger = true;
      return false;
    } else if (pc === 63 /* ? */) {
      si++;
    } else if (pc === 91 /* [ */) {
      pi++;
      const not = p.charCodeAt(pi) === 94; /* ^ */
      if (not) pi++;
      const sc = s.charCodeAt(si);
      let matched = false;
      for (;;) {
        const c = p.charCodeAt(pi); // NaN past the end, like the NUL after an sds
        if (c === 92 /* \ */ && plen - pi >= 2) {
          pi++;
          if (p.charCodeAt(pi) === sc) matched = true;
        } else if (c === 93 /* ] */) {
          break;
        } else if (pi >= plen) {
          pi--; // unterminated: the class ends the pattern
          break;
        } else if (plen - pi >= 3 && p.charCodeAt(pi + 1) === 45 /* - */) {
          let start = signed(c);
          let end = signed(p.charCodeAt(pi + 2));
          let ch = signed(sc);
          if (start > end) [start, end] = [end, start];
          if (nocase) {
            start = lower(start);
            end = lower(end);
            ch = lower(ch);
          }
          pi += 2;
          if (ch >= start && ch <= end) matched = true;
        } else if (nocase ? lower(c) === lower(sc) : c === sc) {
          matched = true;
        }
        pi++;
      }
      if (not) matched = !matched;
      if (!matched) return false;
      si++;
    } else {
      if (pc === 92 /* \ */ && plen - pi >= 2) pi++;
      const lit = p.charCodeAt(pi);
      const sc = s.charCodeAt(si);
      if (nocase ? lower(lit) !== lower(sc) : lit !== sc) return false;
      si++;
    }
    pi++;
    if (si === slen) {
      while (pi < plen && p.charCodeAt(pi) === 42) pi++;
      break;
    }
  }
  return pi === plen && si === slen;
}

/**
 * globMatch over the bytes `buf[start, end)` instead of a string (case-sensitive): the same
 * answers as `globMatch(pattern, buf.latin1Slice(start, end))` without building the string —
 * the ACL key check of GET/SET run from the read buffer (security/acl-check.ts rangeKeyAllowed).
 */
export function globMatchRange(pattern: string, buf: Uint8Array, start: number, end: number): boolean {
  return matchRangeAt(pattern, 0, buf, start, end, { skipLonger: false }, 0);
}

/** matchAt with the string as a byte range (`si` runs from `start` to `end`). Keep the two in step. */
function matchRangeAt(p: string, pi: number, s: Uint8Array, si: number, end: number, state: { skipLonger: boolean }, nesting: number): boolean {
  if (nesting > MAX_NESTING) return false;
  const plen = p.length;
  while (pi < plen && si < end) {
    const pc = p.charCodeAt(pi);
    if (pc === 42 /* * */) {
      while (pi + 1 < plen && p.charCodeAt(pi + 1) === 42) pi++;
      if (pi + 1 === plen) return true;
      for (; si < end; si++) {
        if (matchRangeAt(p, pi + 1, s, si, end, state, nesting + 1)) return true;
        if (state.skipLonger) return false;
      }
      state.skipLonger = true;
      return false;
    } else if (pc === 63 /* ? */) {
      si++;
    } else if (pc === 91 /* [ */) {
      pi++;
      const not = p.charCodeAt(pi) === 94; /* ^ */
      if (not) pi++;
      const sc = s[si]!;
      let matched = false;
      for (;;) {
        const c = p.charCodeAt(pi); // NaN past the end, like the NUL after an sds
        if (c === 92 /* \ */ && plen - pi >= 2) {
          pi++;
          if (p.charCodeAt(pi) === sc) matched = true;
        } else if (c === 93 /* ] */) {
          break;
        } else if (pi >= plen) {
          pi--; // unterminated: the class ends the pattern
          break;
        } else if (plen - pi >= 3 && p.charCodeAt(pi + 1) === 45 /* - */) {
          let lo = signed(c);
          let hi = signed(p.charCodeAt(pi + 2));
          const ch = signed(sc);
          if (lo > hi) [lo, hi] = [hi, lo];
          pi += 2;
          if (ch >= lo && ch <= hi) matched = true;
        } else if (c === sc) {
          matched = true;
        }
        pi++;
      }
      if (not) matched = !matched;
      if (!matched) return false;
      si++;
    } else {
      if (pc === 92 /* \ */ && plen - pi >= 2) pi++;
      if (p.charCodeAt(pi) !== s[si]) return false;
      si++;
    }
    pi++;
    if (si === end) {
      while (pi < plen && p.charCodeAt(pi) === 42) pi++;
      break;
    }
  }
  return pi === plen && si === end;
}
