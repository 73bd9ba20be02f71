import { capitalOnlyLabels, type LabelKind, labelKinds, sentenceAbbreviations } from './labels.ts';
import { healthTerms, personWords, specialCategoryTerms } from './vocabulary.ts';

/** No transition / not a word of the lexicon. */
export const NONE = -1;
const UNKNOWN_SYMBOL = -2;

/**
 * The words the scanner must recognise (labels, vocabulary, person words, abbreviations) as a
 * trie over lower-cased UTF-16 units, walked while the tokenizer reads each word: a word's
 * lexicon id costs one table lookup per letter, and no word of the text is ever copied or
 * lower-cased as a string.
 */
export class Lexicon {
  readonly words: readonly string[];
  private readonly ids = new Map<string, number>();
  private readonly alphabet = new Map<string, number>();
  private readonly symbols = new Int16Array(65536).fill(UNKNOWN_SYMBOL);
  private readonly next: Int32Array;
  private readonly wordOfNode: Int32Array;
  /** Symbols of the ASCII units, for the tokenizer's inner loop: −1 for none. */
  readonly asciiSymbols: Int16Array;
  /** The trie as a table: node × alphabet size + symbol → next node, or −1. */
  readonly transitions: Int32Array;
  readonly alphabetSize: number;

  constructor(words: Iterable<string>) {
    this.words = [...new Set(words)];
    const children: Map<number, number>[] = [new Map()];
    const wordOfNode: number[] = [NONE];
    this.words.forEach((word, id) => {
      this.ids.set(word, id);
      let node = 0;
      for (const unit of splitUnits(word)) {
        const symbol = this.alphabet.get(unit) ?? this.alphabet.set(unit, this.alphabet.size).size - 1;
        let child = children[node]!.get(symbol);
        if (child === undefined) {
          child = children.push(new Map()) - 1;
          wordOfNode.push(NONE);
          children[node]!.set(symbol, child);
        }
        node = child;
      }
      wordOfNode[node] = id;
    });
    this.next = new Int32Array(children.length * this.alphabet.size).fill(NONE);
    children.forEach((edges, node) => {
      for (const [symbol, child] of edges) this.next[node * this.alphabet.size + symbol] = child;
    });
    this.wordOfNode = Int32Array.from(wordOfNode);
    for (let code = 0; code < 128; code++) this.learnSymbol(code);
    this.asciiSymbols = this.symbols.slice(0, 128);
    this.transitions = this.next;
    this.alphabetSize = this.alphabet.size;
  }

  /** The id of a (lower-case) word, or NONE. */
  idOf(word: string): number {
    return this.ids.get(word) ?? NONE;
  }

  /** The trie node after reading the UTF-16 unit `code` (lower-cased) from `node`; the root is 0. */
  step(node: number, code: number): number {
    if (node === NONE) return NONE;
    let symbol = this.symbols[code]!;
    if (symbol === UNKNOWN_SYMBOL) symbol = this.learnSymbol(code);
    return symbol === NONE ? NONE : this.next[node * this.alphabet.size + symbol]!;
  }

  /** The id of the word that ends at `node`, or NONE. */
  wordAt(node: number): number {
    return node === NONE ? NONE : this.wordOfNode[node]!;
  }

  /**
   * Lower-casing unit by unit equals lower-casing the word except for a final sigma and for
   * units that lower-case to two (İ): neither occurs in the lexicon, so such words miss either way.
   */
  private learnSymbol(code: number): number {
    const lower = String.fromCharCode(code).toLowerCase();
    const symbol = lower.length === 1 ? (this.alphabet.get(lower) ?? NONE) : NONE;
    this.symbols[code] = symbol;
    return symbol;
  }
}

function splitUnits(word: string): string[] {
  const units: string[] = [];
  for (let i = 0; i < word.length; i++) units.push(word[i]!);
  return units;
}

/** The words of a vocabulary term as the tokenizer sees them: hyphens and spaces separate. */
export function termWords(term: string): string[] {
  return term.replace(/-/g, ' ').split(' ');
}

const vocabularyWords = [healthTerms, specialCategoryTerms].flatMap((groups) =>
  Object.values(groups).flatMap((terms) => terms.flatMap(termWords)),
);

export const lexicon = new Lexicon([
  ...labelKinds.keys(),
  ...personWords,
  ...sentenceAbbreviations,
  ...vocabularyWords,
]);

/** Per lexicon id: what a number labelled by the word is. */
export const labelKindOf: readonly (LabelKind | undefined)[] = lexicon.words.map((w) => labelKinds.get(w));
/** Per lexicon id: the label counts only in capitals ("BIG", not "big"). */
export const isCapitalOnly: readonly boolean[] = lexicon.words.map((w) => capitalOnlyLabels.has(w));
export const isPersonWord: readonly boolean[] = lexicon.words.map((w) => personWords.has(w));
export const isAbbreviation: readonly boolean[] = lexicon.words.map((w) => sentenceAbbreviations.has(w));
