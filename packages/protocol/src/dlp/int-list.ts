/**
 * A growable list of 32-bit integers. The scanner records hundreds of thousands of offsets per
 * megabyte; in a typed array that costs a store each, where `Array.prototype.push` costs
 * several times more.
 */
export class IntList {
  private data = new Int32Array(256);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  /** The values pushed so far (a view, not a copy). */
  values(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}
