import { createHash } from 'node:crypto';

/**
 * A uniform number in [0, 1) fixed by its inputs: the sandbox's answers and faults depend on
 * who is asked (and the seed), never on timing or request order, so runs repeat.
 */
export function unitHash(...parts: Array<string | number>): number {
  const digest = createHash('sha1').update(parts.join('\u001e')).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000;
}

/** An integer in [0, n) fixed by its inputs. */
export function pick(n: number, ...parts: Array<string | number>): number {
  return Math.floor(unitHash(...parts) * n);
}
