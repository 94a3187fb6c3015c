/*
 * Uniform random picks over positions 0 … size-1 of a collection (SPOP, SRANDMEMBER,
 * HRANDFIELD): O(1) per element, since both encodings of hashes and sets index their entries.
 */

/** A uniformly random integer in [0, n). */
export function randomBelow(n: number): number {
  return Math.floor(Math.random() * n);
}

/**
 * `count` distinct positions of [0, size) chosen uniformly (0 < count < size), in random order:
 * a partial Fisher-Yates shuffle when the count is a large share of the size (Redis's case 3
 * copies and removes there), else rejection sampling (its case 4).
 */
export function uniquePositions(size: number, count: number): number[] {
  if (count * 3 > size) {
    const all = Array.from({ length: size }, (_, i) => i);
    for (let i = 0; i < count; i++) {
      const j = i + randomBelow(size - i);
      const t = all[i]!;
      all[i] = all[j]!;
      all[j] = t;
    }
    all.length = count;
    return all;
  }
  const picked = new Set<number>();
  while (picked.size < count) picked.add(randomBelow(size));
  return [...picked];
}
