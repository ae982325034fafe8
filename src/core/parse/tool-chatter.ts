const CHATTER_PREFIXES = [
  '-- ',
  'Adding search directory',
  'Generate Success!',
  'time limit exceeded: ',
  'Re-run cmake ',
  'Install the project...',
  'ninja explain: ',
  'Checking Build System',
  'Build files have been written to: ',
] as const;
const SUMMARY_RE = /^\d+ (?:errors?|warnings?)(?: and \d+ (?:errors?|warnings?))? generated\.$/;

/**
 * Known harmless lines that tools print mid-build: CMake's `-- ...` status, clang's
 * `2 warnings generated.`, FluffOS's code generators (`Adding search directory`, `Generate Success!`),
 * blank lines.
 */
export function isToolChatter(line: string): boolean {
  if (line.length === 0 || line === '--') return true;
  for (const prefix of CHATTER_PREFIXES) if (line.startsWith(prefix)) return true;
  const first = line.charCodeAt(0);
  if (first >= 49 && first <= 57) return SUMMARY_RE.test(line);
  return (first === 32 || first === 9) && line.trim() === '';
}
