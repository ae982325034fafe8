/** The last part of a path as a tool printed it (`alpha/` -> `alpha`): directories and artifacts are named by it. */
export function lastPart(path: string): string {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const i = trimmed.lastIndexOf('/');
  return i === -1 ? trimmed : trimmed.slice(i + 1);
}

/** The name an artifact stands for: `lib` and the library or executable extension dropped (`lib/libzstd.a` -> `zstd`). */
export function artifactStem(output: string): string {
  return withoutArtifactExtension(lastPart(output)).replace(/^lib/, '');
}

/** A library's or program's file name without its extension (`libuv.so.1.0` -> `libuv`, `app.exe` -> `app`). */
export function withoutArtifactExtension(name: string): string {
  return name.replace(/\.(a|so(\.[\d.]+)?|dylib|dll|lib|exe)$/, '');
}

/** The directory names of a path, innermost first (`src/net/a.c` -> `net`, `src`); none for a bare file name. */
export function dirNamesOf(path: string): string[] {
  if (path.indexOf('/') === -1) return [];
  const parts = path.split('/');
  parts.pop();
  return parts.filter((p) => p !== '' && p !== '.' && p !== '..').reverse();
}

/** Whether two printed paths name the same file: equal, or one ends with the other at a '/'. */
export function pathsMatch(a: string, b: string): boolean {
  const x = a.startsWith('./') ? a.slice(2) : a;
  const y = b.startsWith('./') ? b.slice(2) : b;
  if (x === y) return true;
  const [long, short] = x.length > y.length ? [x, y] : [y, x];
  return long.endsWith(short) && long.charCodeAt(long.length - short.length - 1) === 47;
}
