import { isPersonWord, lexicon, NONE, termWords } from './lexicon.ts';
import type { TextIndex } from './text-index.ts';
import { hasWordNear, isNameLike } from './text-index.ts';
import type { Finding, FindingType } from './types.ts';
import { healthTerms, specialCategoryTerms } from './vocabulary.ts';

interface Phrase {
  /** Lexicon ids of the phrase's words. */
  words: readonly number[];
  type: FindingType;
  category: string;
}

/** Lexicon id of a first word → the phrases that start with it, longest first; a phrase is one to three words. */
function buildPhraseIndex(): Map<number, Phrase[]> {
  const byFirst = new Map<number, Phrase[]>();
  const add = (type: FindingType, groups: Record<string, readonly string[]>) => {
    for (const [category, terms] of Object.entries(groups)) {
      for (const term of terms) {
        const words = termWords(term).map((word) => lexicon.idOf(word));
        const list = byFirst.get(words[0]!) ?? [];
        list.push({ words, type, category });
        list.sort((a, b) => b.words.length - a.words.length);
        byFirst.set(words[0]!, list);
      }
    }
  };
  add('health', healthTerms);
  add('special_category', specialCategoryTerms);
  return byFirst;
}

const phrases = buildPhraseIndex();
const PERSON_RADIUS = 60;

/**
 * Reports health data and the other special categories: a term of the curated vocabulary with
 * a person nearby in the same sentence (within 60 characters: "mevrouw", "cliënt", "hij",
 * "gebruikt", "mg", or a name: a capitalised word that does not start the sentence) is
 * reported at 0.8; a term alone at 0.3, below the default threshold, because general text about
 * an illness or a religion is not personal data.
 */
export function detectVocabulary(index: TextIndex, types: ReadonlySet<FindingType>): Finding[] {
  const findings: Finding[] = [];
  const { wordIds, wordStarts, wordEnds } = index;
  const isPerson = (w: number) => {
    const id = wordIds[w]!;
    return (id !== NONE && isPersonWord[id]!) || isNameLike(index, w);
  };
  for (let i = 0; i < wordIds.length; i++) {
    index.counter.steps++;
    if (wordIds[i] === NONE) continue;
    const candidates = phrases.get(wordIds[i]!);
    if (candidates === undefined) continue;
    const phrase = candidates.find((p) => types.has(p.type) && matchesAt(index, i, p.words));
    if (phrase === undefined) continue;
    const last = i + phrase.words.length - 1;
    const start = wordStarts[i]!;
    const end = wordEnds[last]!;
    const withPerson = hasWordNear(index, start, end, isPerson, PERSON_RADIUS);
    findings.push({
      type: phrase.type,
      start,
      end,
      confidence: withPerson ? 0.8 : 0.3,
      rule: `${phrase.type}.${phrase.category}${withPerson ? '+person' : ''}`,
    });
    i = last;
  }
  return findings;
}

function matchesAt(index: TextIndex, i: number, phrase: readonly number[]): boolean {
  for (let k = 1; k < phrase.length; k++) {
    const j = i + k;
    if (j >= index.wordIds.length || index.wordIds[j] !== phrase[k]) return false;
    if (index.wordStarts[j]! - index.wordEnds[j - 1]! > 2) return false;
  }
  return true;
}
