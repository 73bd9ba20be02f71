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
}

const stickyCopies = new WeakMap<RegExp, RegExp>();

function stickyCopyOf(pattern: RegExp): RegExp {
  const sticky = new RegExp(pattern.source, `${pattern.flags.replace('g', '')}y`);
  stickyCopies.set(pattern, sticky);
  return sticky;
}
