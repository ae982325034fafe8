import type { CompileLang, LineEvent } from './types.js';

const COMPILER_RE = /^(?:[\w.+-]+-)?(gcc|g\+\+|cc|c\+\+|clang|clang\+\+|icc|icpc|icx|icpx|nvcc)(?:-[\d.]+)?$/;
const ASSEMBLER_RE = /^(?:[\w.+-]+-)?as$/;
const LINKER_RE = /^(?:[\w.+-]+-)?(?:ld(?:\.\w+)?|mold|lld)$/;
const ARCHIVER_RE = /^(?:[\w.+-]+-)?(?:llvm-|gcc-)?ar$/;
const WRAPPERS = new Set(['ccache', 'sccache', 'distcc', 'icecc', 'env', 'time', 'nice']);
const OTHER_TOOLS = new Set([
  'mkdir', 'rm', 'cp', 'mv', 'ln', 'install', 'sed', 'awk', 'echo', 'printf', 'touch', 'cd', 'test', 'bison', 'yacc',
  'flex', 'lex', 'm4', 'python', 'python3', 'perl', 'sh', 'bash', 'cmake', 'protoc', 'strip', 'objcopy', 'ranlib',
  'make', 'gmake', 'ninja', 'cat', 'tar', 'moc', 'uic', 'rcc', 'swig', 'doxygen', 'xxd', 'gperf',
]);
const VALUE_FLAGS = new Set([
  '-o', '-MF', '-MT', '-MQ', '-include', '-imacros', '-isystem', '-iquote', '-idirafter', '-I', '-D', '-U', '-x', '-L',
  '-l', '-T', '-Xlinker', '-Xassembler', '-Xpreprocessor', '-u', '-z', '-arch', '-target', '--target', '-isysroot',
  '--sysroot', '-B', '-e', '-MJ',
]);
const SOURCE_EXT_RE = /\.(c|cc|cpp|cxx|c\+\+|C|CC|cp|m|mm|s|S|sx|asm|cu|f|f90|F90)$/;
const INPUT_EXT_RE = /\.(o|obj|a|so|lo|la)(?:\.[\d.]+)?$/;
const SHARED_OUTPUT_RE = /\.(?:so(?:\.[\d.]+)?|dylib|la|dll)$/;
const LIBTOOL_PREFIX_RE = /^libtool: (?:compile|link): +/;

/**
 * Classifies a recipe line that make echoed: `g++ -O2 -c foo.cc -o foo.o` (compile; the source is the
 * argument with a source extension), `g++ -o prog a.o` (link), `ar rcs libx.a a.o` (static library),
 * and other common build tools (custom). Null when the line does not start with a known program.
 */
export function classifyEchoedCommand(text: string, phase: 'start' | 'end', target: string | null): LineEvent | null {
  const line = text.startsWith('libtool: ') ? text.replace(LIBTOOL_PREFIX_RE, '') : text;
  const first = line.charCodeAt(0);
  const startsLikeProgram = (first >= 97 && first <= 122) || first === 47 /* / */ || first === 46 /* . */;
  if (!startsLikeProgram) return null;
  const firstSpace = line.indexOf(' ');
  const firstWord = baseName(firstSpace === -1 ? line : line.slice(0, firstSpace));
  if (!isKnownProgram(firstWord)) return null;
  const words = line.trim().split(/\s+/);
  let i = 0;
  while (i < words.length - 1 && (WRAPPERS.has(baseName(words[i]!)) || isAssignment(words[i]!))) i++;
  if (baseName(words[i + 1] ?? '') === 'libtool' && (words[i] === 'sh' || baseName(words[i]!) === 'bash' || baseName(words[i]!) === 'sh')) i++;
  if (baseName(words[i]!) === 'libtool') {
    while (i < words.length && !words[i]!.startsWith('--mode=')) i++;
    i++;
  }
  const program = baseName(words[i] ?? '');
  const args = words.slice(i + 1);
  const compiler = COMPILER_RE.exec(program);
  if (compiler) return compilerCommand(compiler[1]!, args, phase, target, line);
  if (ASSEMBLER_RE.test(program)) return compilerCommand('as', ['-c', ...args], phase, target, line);
  if (LINKER_RE.test(program)) return linkerCommand(args, phase, target, line);
  if (ARCHIVER_RE.test(program)) return archiveCommand(args, phase, target, line);
  return { kind: 'custom', text: line.trimEnd(), target };
}

function isKnownProgram(word: string): boolean {
  return WRAPPERS.has(word) || OTHER_TOOLS.has(word) || word === 'libtool' || COMPILER_RE.test(word) ||
    ASSEMBLER_RE.test(word) || LINKER_RE.test(word) || ARCHIVER_RE.test(word) || isAssignment(word);
}

function compilerCommand(driver: string, args: string[], phase: 'start' | 'end', target: string | null, line: string): LineEvent {
  let compile = false;
  let preprocess = false;
  let shared = false;
  let hasInput = false;
  let output: string | null = null;
  let source: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.charCodeAt(0) !== 45 /* - */) {
      if (source === null && SOURCE_EXT_RE.test(arg)) source = arg;
      else if (INPUT_EXT_RE.test(arg)) hasInput = true;
    } else if (arg === '-c' || arg === '-S') compile = true;
    else if (arg === '-E' || arg === '-M' || arg === '-MM') preprocess = true;
    else if (arg === '-shared') shared = true;
    else if (arg === '-o') output = args[++i] ?? null;
    else if (arg.startsWith('-o')) output = arg.slice(2);
    else if (arg.startsWith('-l')) hasInput = true;
    else if (VALUE_FLAGS.has(arg)) i++;
  }
  if (preprocess && !compile) return { kind: 'custom', text: line.trimEnd(), target };
  if (compile) {
    const object = output ?? (source === null ? null : baseName(source).replace(/\.[^.]+$/, '.o'));
    if (object === null) return { kind: 'custom', text: line.trimEnd(), target };
    return { kind: 'compile', phase, lang: langOf(source, driver), target, object, source };
  }
  if (source === null && !hasInput && output === null) return { kind: 'custom', text: line.trimEnd(), target };
  const out = output ?? 'a.out';
  return { kind: 'link', phase, artifact: shared || SHARED_OUTPUT_RE.test(out) ? 'shared' : 'executable', output: out, target };
}

function linkerCommand(args: string[], phase: 'start' | 'end', target: string | null, line: string): LineEvent {
  const o = args.indexOf('-o');
  const output = o === -1 ? null : args[o + 1] ?? null;
  if (output === null) return { kind: 'custom', text: line.trimEnd(), target };
  const shared = args.includes('-shared') || SHARED_OUTPUT_RE.test(output);
  return { kind: 'link', phase, artifact: shared ? 'shared' : 'executable', output, target };
}

function archiveCommand(args: string[], phase: 'start' | 'end', target: string | null, line: string): LineEvent {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('--')) i += args[i] === '--plugin' ? 2 : 1;
  const output = args[i + 1];
  if (output === undefined) return { kind: 'custom', text: line.trimEnd(), target };
  return { kind: 'link', phase, artifact: 'static', output, target };
}

function langOf(source: string | null, driver: string): CompileLang {
  if (source !== null) {
    const ext = source.slice(source.lastIndexOf('.') + 1);
    if (ext === 'c') return 'C';
    if (ext === 's' || ext === 'S' || ext === 'sx' || ext === 'asm') return 'ASM';
    if (ext === 'cc' || ext === 'cpp' || ext === 'cxx' || ext === 'c++' || ext === 'C' || ext === 'CC' || ext === 'cp') return 'CXX';
    return 'other';
  }
  if (driver === 'as') return 'ASM';
  return driver.endsWith('++') || driver === 'icpc' || driver === 'icpx' ? 'CXX' : 'C';
}

function isAssignment(word: string): boolean {
  const eq = word.indexOf('=');
  return eq > 0 && /^[A-Za-z_]\w*$/.test(word.slice(0, eq));
}

function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}
