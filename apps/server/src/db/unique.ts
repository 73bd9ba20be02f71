/**
 * Whether a database error is a unique-key violation (SQLSTATE 23505, on PostgreSQL and PGlite
 * alike). Only stores ask this, and they report it as a result (`'taken'`), so services decide
 * what a taken name means without knowing database error codes.
 */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}

/** Runs a write; a unique-key violation becomes `'taken'`, anything else is thrown on. */
export async function unlessTaken(write: () => Promise<unknown>): Promise<'done' | 'taken'> {
  try {
    await write();
    return 'done';
  } catch (error) {
    if (isUniqueViolation(error)) return 'taken';
    throw error;
  }
}
