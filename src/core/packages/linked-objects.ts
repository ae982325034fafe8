const OBJECT_RE = /\.(?:o|obj|lo)$/;
/** A link line longer than this (a few thousand objects) is read only this far for its objects. */
export const MAX_LINK_TEXT_CHARS = 256 * 1024;

/** Whether a path names an object file (`.o`, `.obj`, libtool's `.lo`). */
export function isObjectFile(path: string): boolean {
  return OBJECT_RE.test(path);
}

/** The objects a link or archive command lists (not its output), from its first `MAX_LINK_TEXT_CHARS`. */
export function linkedObjects(text: string, output: string): string[] {
  const objects = new Set<string>();
  const end = Math.min(text.length, MAX_LINK_TEXT_CHARS);
  let skipNext = false;
  for (let i = 0; i < end; ) {
    while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    let j = i;
    while (j < end && text.charCodeAt(j) !== 32 && text.charCodeAt(j) !== 9) j++;
    if (j > i) {
      const w = text.slice(i, j);
      if (skipNext) skipNext = false;
      else if (w === '-o') skipNext = true;
      else if (w !== output && OBJECT_RE.test(w)) objects.add(w);
    }
    i = j;
  }
  return [...objects];
}
