/** What a path under a CMake target's object directory says: the target and the file below `<target>.dir/`. */
export interface CmakeObjectPath {
  target: string | null;
  /** The path below `<target>.dir/` with a trailing `.o`/`.obj`/`.gch` removed; null when the path has no `<target>.dir/`. */
  source: string | null;
}

const MARKER = 'CMakeFiles/';
const OBJECT_SUFFIXES = ['.o', '.obj', '.gch', '.pch'] as const;

/**
 * Splits `<dir>/CMakeFiles/<target>.dir/<file>.o` (or `.../<target>.dir/build.make`).
 * CMake names the object of a source outside the source tree by its absolute path without the leading '/',
 * and `..` as `__`; both are returned as written.
 */
export function parseCmakeObjectPath(path: string): CmakeObjectPath {
  const marker = path.indexOf(MARKER);
  if (marker === -1) return { target: null, source: null };
  const nameStart = marker + MARKER.length;
  const slash = path.indexOf('/', nameStart);
  if (slash === -1 || slash - nameStart <= 4 || !path.startsWith('.dir', slash - 4)) return { target: null, source: null };
  const target = path.slice(nameStart, slash - 4);
  const file = path.slice(slash + 1);
  if (file === '') return { target, source: null };
  for (const suffix of OBJECT_SUFFIXES) {
    if (file.endsWith(suffix) && file.length > suffix.length) return { target, source: file.slice(0, -suffix.length) };
  }
  return { target, source: file };
}
