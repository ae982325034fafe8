import { parseCmakeObjectPath } from './cmake-object-path.js';
import type { CompileLang, LineEvent } from './types.js';

const LINK_RE = /^Linking \S+ (static library|shared library|shared module|executable) (.+)$/;
const SCAN_PREFIXES = ['Scanning dependencies of target ', 'Consolidate compiler generated dependencies of target '] as const;
const TAG_RE = /^\[[A-Za-z][\w-]*\]/;
const BARE_CUSTOM_PREFIXES = ['Generating ', 'Copying ', 'Creating '] as const;
const LINK_ARTIFACTS = { 'static library': 'static', 'shared library': 'shared', 'shared module': 'module', executable: 'executable' } as const;

/**
 * Classifies the text CMake's generators print after the progress prefix (`[ 45%] ` or `[3/10] `):
 * compile, link, `Built target`, or a custom command's comment.
 * `phase` is when the tool prints it: 'start' for make, 'end' for ninja.
 */
export function classifyCmakeStatus(text: string, phase: 'start' | 'end'): LineEvent {
  const first = text.charCodeAt(0);
  if (first === 66 /* B */) {
    if (text.startsWith('Building ')) {
      const compile = compileEvent(text, phase);
      if (compile) return compile;
    } else if (text.startsWith('Built target ')) {
      return { kind: 'target-built', target: text.slice(13).trim() };
    }
  } else if (first === 76 /* L */ && text.startsWith('Linking ')) {
    const m = LINK_RE.exec(text);
    if (m) return { kind: 'link', phase, artifact: LINK_ARTIFACTS[m[1] as keyof typeof LINK_ARTIFACTS], output: m[2]!.trimEnd(), target: null };
  } else if (first === 83 /* S */ || first === 67 /* C */) {
    const scan = scanEvent(text);
    if (scan) return scan;
  }
  return { kind: 'custom', text: text.trimEnd(), target: null };
}

/**
 * CMake's lines that come without a progress prefix: dependency scanning, and custom-command comments
 * that a generator or a recipe prints bare (`[BISON][MakeFunc] Building parser`, `Generating x.h`).
 * Null for anything else.
 */
export function classifyBareCmakeLine(line: string, target: string | null): LineEvent | null {
  const first = line.charCodeAt(0);
  if (first === 83 /* S */ || first === 67 /* C */) {
    const scan = scanEvent(line);
    if (scan) return scan;
  }
  if (first === 91 /* [ */ ? TAG_RE.test(line) : startsWithAny(line, BARE_CUSTOM_PREFIXES)) {
    return { kind: 'custom', text: line.trimEnd(), target };
  }
  return null;
}

function compileEvent(text: string, phase: 'start' | 'end'): LineEvent | null {
  const objectWord = text.indexOf(' object ', 9);
  if (objectWord === -1 || objectWord > 40) return null;
  const langWord = text.slice(9, objectWord);
  if (langWord.indexOf(' ') !== -1) return null;
  const object = text.slice(objectWord + 8).trim();
  const { target, source } = parseCmakeObjectPath(object);
  return { kind: 'compile', phase, lang: langOf(langWord), target, object, source };
}

function scanEvent(text: string): LineEvent | null {
  for (const prefix of SCAN_PREFIXES) {
    if (text.startsWith(prefix)) return { kind: 'scan', target: text.slice(prefix.length).trim() };
  }
  return null;
}

function langOf(word: string): CompileLang {
  if (word === 'C' || word === 'CXX') return word;
  return word.startsWith('ASM') ? 'ASM' : 'other';
}

function startsWithAny(line: string, prefixes: readonly string[]): boolean {
  for (const p of prefixes) if (line.startsWith(p)) return true;
  return false;
}
