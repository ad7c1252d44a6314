/**
 * A set of stored answers' `seq` numbers as a bit per number: a run remembers which stored
 * answers it already reused in an eighth of a byte each (125 KB per million answers stored),
 * where a set of contacts would grow with the file.
 */
export class SeqSet {
  #bits = new Uint8Array(1024);

  /** Adds `seq`; false when it was there already. */
  add(seq: number): boolean {
    const byte = seq >>> 3;
    if (byte >= this.#bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.#bits.length * 2));
      grown.set(this.#bits);
      this.#bits = grown;
    }
    const mask = 1 << (seq & 7);
    if (this.#bits[byte]! & mask) return false;
    this.#bits[byte]! |= mask;
    return true;
  }
}
