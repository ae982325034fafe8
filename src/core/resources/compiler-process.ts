/** What a compiler or linker process works on. */
export type ProcessRole = 'compile' | 'link';

/**
 * A process of a build seen as work: a compile of one source (driver, compiler proper, assembler)
 * or a link of one artifact (driver in link mode, collect2, ld, LTO, ar, ranlib).
 */
export interface ProcessWork {
  role: ProcessRole;
  /** The source file compiled, as its command line names it; null for a link or when unknown. */
  source: string | null;
  /** The object written (compile) or the artifact made (link), as its command line names it; null when unknown. */
  output: string | null;
}

type ToolKind = 'driver' | 'cc1' | 'lto1' | 'as' | 'linker' | 'ar' | 'ranlib';

const TOOLS = new Map<string, ToolKind>([
  ['gcc', 'driver'], ['g++', 'driver'], ['cc', 'driver'], ['c++', 'driver'], ['clang', 'driver'], ['clang++', 'driver'],
  ['cc1', 'cc1'], ['cc1plus', 'cc1'], ['cc1obj', 'cc1'], ['cc1objplus', 'cc1'], ['lto1', 'lto1'], ['as', 'as'],
  ['collect2', 'linker'], ['ld', 'linker'], ['ld.bfd', 'linker'], ['ld.gold', 'linker'], ['ld.lld', 'linker'],
  ['lld', 'linker'], ['ld64.lld', 'linker'], ['mold', 'linker'], ['ld.mold', 'linker'], ['ar', 'ar'], ['ranlib', 'ranlib'],
]);
/** Launchers that run the compiler named by their next argument. */
const LAUNCHERS = new Set(['ccache', 'sccache', 'distcc', 'icecc', 'buildcache']);

/** Driver options whose value is the next argument (`-MF file`, `-I dir`, ...). */
const DRIVER_VALUE_OPTIONS = new Set([
  '-o', '-x', '-MF', '-MT', '-MQ', '-include', '-imacros', '-isystem', '-iquote', '-idirafter', '-isysroot', '-iprefix',
  '-iwithprefix', '-iwithprefixbefore', '-imultilib', '-imultiarch', '-Xlinker', '-Xassembler', '-Xpreprocessor', '-Xclang',
  '-I', '-D', '-U', '-L', '-l', '-T', '-u', '-e', '-z', '-B', '--param', '-aux-info', '-dumpdir', '-dumpbase', '-dumpbase-ext',
  '-target', '-arch', '--sysroot', '-include-pch', '-MJ',
]);
/** The compiler proper (cc1, cc1plus) also takes a file after `-MD`/`-MMD`, and the object's name after `-auxbase*`. */
const CC1_VALUE_OPTIONS = new Set([...DRIVER_VALUE_OPTIONS, '-MD', '-MMD', '-auxbase', '-auxbase-strip', '-A']);
const AS_VALUE_OPTIONS = new Set(['-o', '-I', '--defsym', '-MD']);

const SOURCE_EXTENSIONS = new Set([
  'c', 'cc', 'cpp', 'cxx', 'c++', 'cp', 'C', 'CPP', 'm', 'mm', 'M', 'i', 'ii', 's', 'S', 'sx', 'asm', 'cu',
  'h', 'hh', 'hpp', 'hxx', 'H', 'h++',
]);

/**
 * Tells from a process's kernel name and command line whether it compiles or links, and what.
 * The command line is preferred; the name (at most 15 characters) serves when it is empty.
 * Null for everything else (make, ninja, sh, cmake, ...), and for compiler runs with no input
 * (`gcc --version`).
 */
export function classifyProcess(name: string, argv: readonly string[]): ProcessWork | null {
  let args = argv.length > 0 ? argv : [name];
  let tool = toolName(args[0] as string);
  if (LAUNCHERS.has(tool) && args.length > 1) {
    args = args.slice(1);
    tool = toolName(args[0] as string);
  }
  const kind = TOOLS.get(tool) ?? TOOLS.get(tool.slice(tool.lastIndexOf('-') + 1));
  switch (kind) {
    case 'driver':
      return args[1] === '-cc1' ? clangFrontend(args) : args[1] === '-cc1as' ? assembler(args) : driver(args);
    case 'cc1':
      return compilerProper(args);
    case 'lto1':
      return { role: 'link', source: null, output: dumpedArtifact(args) };
    case 'as':
      return assembler(args);
    case 'linker':
      return { role: 'link', source: null, output: linkerOutput(args) };
    case 'ar':
      return archiver(args);
    case 'ranlib':
      return { role: 'link', source: null, output: positionals(args, new Set(['--plugin']))[0] ?? null };
    default:
      return null;
  }
}

/** `/usr/bin/x86_64-linux-gnu-g++-12` → `x86_64-linux-gnu-g++`: the base name without a version suffix. */
function toolName(arg0: string): string {
  return arg0.slice(arg0.lastIndexOf('/') + 1).replace(/-\d+(?:\.\d+)*$/, '');
}

/** gcc or clang as the user calls it: `-c`/`-S`/`-E` compiles its first source, anything else links. */
function driver(args: readonly string[]): ProcessWork | null {
  let compileOnly = false;
  let output: string | null = null;
  let language = false;
  const inputs: string[] = [];
  const sources: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '-c' || a === '-S' || a === '-E') compileOnly = true;
    else if (a === '-o') output = args[++i] ?? null;
    else if (a === '-x') language = (args[++i] ?? 'none') !== 'none';
    else if (a.startsWith('-x')) language = a !== '-xnone';
    else if (a.startsWith('-o') && a.length > 2) output = a.slice(2);
    else if (DRIVER_VALUE_OPTIONS.has(a)) i++;
    else if ((a.startsWith('-') && a !== '-') || a.startsWith('@')) continue;
    else {
      inputs.push(a);
      if (language || isSource(a)) sources.push(a);
    }
  }
  if (inputs.length === 0) return null;
  if (compileOnly) return { role: 'compile', source: sources[0] ?? (inputs[0] as string), output };
  return { role: 'link', source: null, output: output ?? 'a.out' };
}

/**
 * cc1/cc1plus: the source is its one input; `-o` is the assembler's temporary file, so the object
 * comes from `-auxbase-strip` (gcc before 11) or from `-dumpdir` + `-dumpbase` less `-dumpbase-ext`
 * (gcc 11 and later), which gcc derives from the driver's `-o`.
 */
function compilerProper(args: readonly string[]): ProcessWork {
  const values = optionValues(args, CC1_VALUE_OPTIONS);
  const source = positionals(args, CC1_VALUE_OPTIONS)[0] ?? null;
  const out = values.get('-o');
  if (out !== undefined && !isGccTemporary(out)) return { role: 'compile', source, output: out };
  const strip = values.get('-auxbase-strip');
  if (strip !== undefined) return { role: 'compile', source, output: strip };
  const base = values.get('-dumpbase');
  if (base !== undefined) {
    const ext = values.get('-dumpbase-ext') ?? '';
    const stem = ext !== '' && base.endsWith(ext) ? base.slice(0, -ext.length) : base;
    return { role: 'compile', source, output: `${values.get('-dumpdir') ?? ''}${stem}.o` };
  }
  const aux = values.get('-auxbase');
  return { role: 'compile', source, output: aux !== undefined ? `${aux}.o` : null };
}

/** clang's own compile job (`clang -cc1 ... -o x.o -x c++ x.cc`): the input follows the last `-x <language>`. */
function clangFrontend(args: readonly string[]): ProcessWork {
  const x = args.lastIndexOf('-x');
  const source = (x !== -1 ? args[x + 2] : undefined) ?? [...args].reverse().find(isSource) ?? null;
  return { role: 'compile', source, output: optionValues(args, new Set(['-o'])).get('-o') ?? null };
}

/** The assembler writes the object (`as --64 -o x.o /tmp/ccXXXXXX.s`); its input is named only when it is not gcc's temporary. */
function assembler(args: readonly string[]): ProcessWork {
  const output = optionValues(args, AS_VALUE_OPTIONS).get('-o') ?? null;
  const input = positionals(args, AS_VALUE_OPTIONS).find((a) => !isGccTemporary(a)) ?? null;
  return { role: 'compile', source: input, output };
}

/** lto1 names the artifact in `-dumpbase`: `bin/prog.wpa`, `bin/prog.ltrans0.ltrans`. */
function dumpedArtifact(args: readonly string[]): string | null {
  const values = optionValues(args, CC1_VALUE_OPTIONS);
  const base = values.get('-dumpbase');
  if (base === undefined) return null;
  return `${values.get('-dumpdir') ?? ''}${base.replace(/\.(?:wpa|ltrans\d+\.ltrans|ltrans\d*)$/, '')}`;
}

function linkerOutput(args: readonly string[]): string {
  for (let i = 1; i < args.length; i++) {
    const a = args[i] as string;
    if ((a === '-o' || a === '--output') && i + 1 < args.length) return args[i + 1] as string;
    if (a.startsWith('--output=')) return a.slice('--output='.length);
    if (a.startsWith('-o') && a.length > 2) return a.slice(2);
  }
  return 'a.out';
}

/** `ar qc libx.a a.o b.o`, `ar -rcs libx.a ...`: the archive follows the operation (and its relpos/count). Listing and extracting are not links. */
function archiver(args: readonly string[]): ProcessWork | null {
  let key: string | null = null;
  const rest: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--plugin' || a === '--target' || a === '--output' || a === '--record-libdeps') i++;
    else if (a.startsWith('--')) continue;
    else if (key === null && /^-?[a-zA-Z]+$/.test(a) && /[dmqrs]/.test(a)) key = a.replace(/^-/, '');
    else if (key === null && /^-[a-zA-Z]+$/.test(a)) continue;
    else rest.push(a);
  }
  if (key === null || /[ptx]/.test(key)) return null;
  const skip = (/[abi]/.test(key) ? 1 : 0) + (key.includes('N') ? 1 : 0);
  return { role: 'link', source: null, output: rest[skip] ?? null };
}

/** The value of each option that takes the next argument (the last one given wins). */
function optionValues(args: readonly string[], valued: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 1; i < args.length; i++) {
    const a = args[i] as string;
    if (valued.has(a) && i + 1 < args.length) out.set(a, args[++i] as string);
  }
  return out;
}

/** The arguments that are neither options nor their values. */
function positionals(args: readonly string[], valued: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i] as string;
    if (valued.has(a)) i++;
    else if (!(a.startsWith('-') && a !== '-') && !a.startsWith('@')) out.push(a);
  }
  return out;
}

function isSource(path: string): boolean {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') && SOURCE_EXTENSIONS.has(path.slice(dot + 1));
}

/** gcc's temporaries: `cc` and six random characters (`/tmp/ccc41nPP.s`). */
function isGccTemporary(path: string): boolean {
  return /^cc[A-Za-z0-9]{6}\./.test(path.slice(path.lastIndexOf('/') + 1));
}
