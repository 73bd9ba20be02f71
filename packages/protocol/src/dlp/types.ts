/** The kinds of sensitive data the scanner reports; the names are part of `zegel scan`'s output. */
export const FindingType = {
  bsn: 'bsn',
  iban: 'iban',
  phone: 'phone',
  postcode: 'postcode',
  email: 'email',
  dateOfBirth: 'date_of_birth',
  idDocument: 'id_document',
  careId: 'care_id',
  health: 'health',
  specialCategory: 'special_category',
} as const;
export type FindingType = (typeof FindingType)[keyof typeof FindingType];

export const findingTypes: readonly FindingType[] = Object.values(FindingType);

/**
 * One piece of sensitive data in a text. `start`/`end` are UTF-16 offsets (as `String.slice`
 * takes them); the value itself is deliberately not part of a finding, so a finding can be
 * logged or audited without repeating what it found.
 */
export interface Finding {
  type: FindingType;
  start: number;
  end: number;
  /** 0–1: how sure the rule is that this is really the kind of data named by `type`. */
  confidence: number;
  /** Stable id of the rule that fired, e.g. `bsn.elfproef+context`. */
  rule: string;
}

export interface ScanOptions {
  /** Findings below this confidence are dropped; 0.5 unless given. */
  minConfidence?: number;
  /** Only run these detectors. */
  types?: readonly FindingType[];
  /**
   * Incremented once per unit of work (candidate examined, character walked). Tests use it to
   * show that scanning is linear in the input size without relying on the clock.
   */
  counter?: { steps: number };
}
