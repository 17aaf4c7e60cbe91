import { ErrorCode } from '@parley/protocol';
import { ParleyError } from '../../core/errors.ts';

/**
 * Runs a write and turns SQLite's UNIQUE violation into a CONFLICT naming the field: the
 * constraint is the check (no racy read-before-write), this gives it a clear error.
 */
export function uniqueOrConflict<T>(field: string, message: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (error instanceof Error && String((error as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT_UNIQUE')) {
      throw new ParleyError(ErrorCode.CONFLICT, message, { field, cause: error });
    }
    throw error;
  }
}
