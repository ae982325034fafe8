import type { CompileLang, LineEvent, LinkArtifact } from './types.js';

const QUIET_RE = /^\s{0,8}([A-Z][A-Z0-9_]{1,15})(?: +\[M\])? +(\S+)\s*$/;
const COMPILE_LANGS: Readonly<Record<string, CompileLang>> = { CC: 'C', HOSTCC: 'C', CXX: 'CXX', HOSTCXX: 'CXX', AS: 'ASM', CCAS: 'ASM', CPPAS: 'ASM' };
const LINK_WORDS = new Set(['CCLD', 'CXXLD', 'LD', 'LINK', 'HOSTLD', 'SOLINK', 'SOLINK_MODULE', 'AR', 'ALINK']);
const CUSTOM_WORDS = new Set([
  'GEN', 'STAMP', 'ACTION', 'COPY', 'COPY_BUNDLE_DATA', 'INSTALL', 'MKDIR', 'YACC', 'LEX', 'BISON', 'FLEX', 'OBJCOPY',
  'STRIP', 'RANLIB', 'SYMLINK', 'CHK', 'UPD', 'DTC', 'SIGN', 'MODPOST', 'CPP', 'LDS', 'WRAP', 'SYNC', 'HDRINST', 'CP',
  'TOUCH', 'MOC', 'UIC', 'RCC',
]);

/**
 * Classifies the short step lines of quiet build systems: automake silent rules and Kbuild
 * (`  CC       foo.lo`, `  LD [M]  fs/ext4/ext4.ko`) and GN-generated ninja descriptions (`CXX obj/foo.o`,
 * `SOLINK ./libx.so`). Null for any other line.
 */
export function classifyQuietRule(line: string, phase: 'start' | 'end', target: string | null): LineEvent | null {
  const m = QUIET_RE.exec(line);
  if (!m) return null;
  const word = m[1]!;
  const path = m[2]!;
  const lang = COMPILE_LANGS[word];
  if (lang !== undefined) return { kind: 'compile', phase, lang, target, object: path, source: null };
  if (LINK_WORDS.has(word)) return { kind: 'link', phase, artifact: artifactOf(word, path), output: path, target };
  if (CUSTOM_WORDS.has(word)) return { kind: 'custom', text: line.trim(), target };
  return null;
}

function artifactOf(word: string, output: string): LinkArtifact {
  if (word === 'AR' || word === 'ALINK' || output.endsWith('.a')) return 'static';
  if (word === 'SOLINK_MODULE' || output.endsWith('.ko')) return 'module';
  if (word === 'SOLINK' || /\.(?:so(?:\.[\d.]+)?|la|dylib)$/.test(output)) return 'shared';
  return 'executable';
}
