/** The speed over the last few seconds of progress. */
export class SpeedMeter {
  #samples: { at: number; bytes: number }[] = [];
  add(bytes: number): void {
    const at = performance.now();
    this.#samples.push({ at, bytes });
    while (this.#samples.length > 2 && at - this.#samples[0]!.at > 5000) this.#samples.shift();
  }
  reset(): void {
    this.#samples = [];
  }
  get speed(): number | null {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.at - first.at < 500) return null;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }
}
