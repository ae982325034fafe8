const ATTEMPTS = 5;

/**
 * Runs a database write, trying again when SQLite stays busy past its own timeout: a runner must
 * record how its build ended even while other buildmon processes hold the database.
 */
export function retrying<T>(write: () => T): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return write();
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (attempt >= ATTEMPTS || !code.startsWith('SQLITE_BUSY')) throw err;
    }
  }
}
