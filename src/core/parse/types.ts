/** The output conventions of the tool that runs the build; each has its own streaming parser. */
export type Dialect = 'cmake-make' | 'ninja' | 'gnu-make';

/** Source language of a compile step, as CMake names it; anything else (Fortran, CUDA, ...) is 'other'. */
export type CompileLang = 'C' | 'CXX' | 'ASM' | 'other';

/** Kind of file a link step produces. */
export type LinkArtifact = 'static' | 'shared' | 'module' | 'executable';

/**
 * What one output line means. `phase` says whether the line marks the start or the end of the step:
 * make prints when a step starts, ninja (output not a terminal) when it finishes.
 * `target` is the CMake target (or, for plain make, the package directory) when the line says so.
 */
export type LineEvent =
  | {
      kind: 'compile';
      phase: 'start' | 'end';
      lang: CompileLang;
      target: string | null;
      object: string;
      /** Path after `<target>.dir/` minus `.o`; CMake writes absolute sources without their leading '/'. */
      source: string | null;
    }
  | { kind: 'link'; phase: 'start' | 'end'; artifact: LinkArtifact; output: string; target: string | null }
  | { kind: 'target-built'; target: string }
  | { kind: 'custom'; text: string; target: string | null }
  | { kind: 'scan'; target: string }
  | { kind: 'enter-dir'; dir: string; level: number }
  | { kind: 'leave-dir'; dir: string; level: number }
  | { kind: 'diagnostic'; diagnostic: DiagnosticStart }
  | { kind: 'diagnostic-continuation' }
  | {
      kind: 'make-error';
      /** N of `make[N]:`; 0 for the top-level `make:`; null when the line has no make prefix. */
      level: number | null;
      /** The make target as printed, e.g. `programs/zstd` or `CMakeFiles/fmt.dir/src/os.cc.o`. */
      target: string | null;
      /** The makefile that holds the failing rule, without its line number. */
      makefile: string | null;
      /** The exit code in `Error N`; null for `Waiting for unfinished jobs` and `not remade`. */
      code: number | null;
      text: string;
    }
  | { kind: 'ninja-failed'; outputs: string[] }
  | { kind: 'ninja-command' }
  | { kind: 'ninja-stopped'; reason: string }
  | { kind: 'no-work' }
  | { kind: 'tool-chatter'; text: string }
  | { kind: 'unrecognised'; text: string };

/** The first line of a diagnostic; the lines that follow it arrive as 'diagnostic-continuation'. */
export interface DiagnosticStart {
  severity: 'error' | 'warning' | 'note' | 'fatal';
  tool: 'compiler' | 'linker' | 'make' | 'ninja' | 'cmake';
  file: string | null;
  /** 1-based, as the tool prints it. */
  line: number | null;
  /** 1-based, as the tool prints it. */
  column: number | null;
  message: string;
}

/** Progress the line reports: make's `[ 45%]` as a percentage, ninja's `[12/469]` as steps finished of total. */
export type LineProgress = { pct: number } | { done: number; total: number };

/** One classified line. */
export interface ParsedLine {
  event: LineEvent;
  progress: LineProgress | null;
}

/**
 * A streaming classifier for one dialect: feed every output line in order.
 * It keeps the little state the output needs (directory stack, open diagnostic block, `FAILED:` seen)
 * and never throws.
 */
export interface LineParser {
  readonly dialect: Dialect;
  parse(text: string): ParsedLine;
}
