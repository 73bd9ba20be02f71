/**
 * Runs a detector's pattern at the candidate positions the tokenizer found, instead of letting
 * a global regular expression sweep the whole text. Given every position where the pattern can
 * match, in ascending order, the matches are exactly those of `text.matchAll(pattern)`: a match
 * hides the candidates it covers, as the global search would resume after it.
 */
export class CandidateMatcher {
  private readonly text: string;
  private readonly sticky: RegExp;
  private resumeAt = 0;

  constructor(text: string, pattern: RegExp) {
    this.text = text;
    this.sticky = stickyCopies.get(pattern) ?? stickyCopyOf(pattern);
  }

  /** The match starting exactly at `position`, or null (also when an earlier match covers it). */
  at(position: number): RegExpExecArray | null {
    if (position < this.resumeAt || position < 0) return null;
    this.sticky.lastIndex = position;
    const match = this.sticky.exec(this.text);
    if (match !== null) this.resumeAt = position + Math.max(1, match[0].length);
    return match;
  }

  /**
   * Where the match starting exactly at `position` ends, or −1: as `at`, for detectors that need
   * no groups (`test` builds no match array, which is most of the cost of a short match).
   */
  endAt(position: number): number {
    if (position < this.resumeAt || position < 0) return -1;
    this.sticky.lastIndex = position;
    if (!this.sticky.test(this.text)) return -1;
    this.resumeAt = Math.max(position + 1, this.sticky.lastIndex);
    return this.sticky.lastIndex;
  }
}

const stickyCopies = new WeakMap<RegExp, RegExp>();

function stickyCopyOf(pattern: RegExp): RegExp {
  const sticky = new RegExp(pattern.source, `${pattern.flags.replace('g', '')}y`);
  stickyCopies.set(pattern, sticky);
  return sticky;
}
