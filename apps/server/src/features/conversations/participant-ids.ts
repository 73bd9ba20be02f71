import type { Deps } from '../../deps.ts';
import { existingParticipantIds } from './store.ts';

/** Which of these participant ids exist already (a browser-chosen guest id must be new). */
export function takenParticipantIds(deps: Pick<Deps, 'db'>, ids: readonly string[]): Promise<string[]> {
  return existingParticipantIds(deps.db, ids);
}
