/**
 * One problem the build reported, as a whole block of output, attributed to the package it belongs to.
 * A gcc `note:` is part of the block of the diagnostic before it; a note with no diagnostic before it
 * (gcc's psABI note, for one) stands alone with severity 'warning' and category 'note'.
 */
export interface Diagnostic {
  severity: 'error' | 'warning' | 'fatal';
  tool: 'compiler' | 'linker' | 'make' | 'ninja' | 'cmake';
  /** As the tool printed it (relative or absolute); for a linker problem the source or object it names. */
  file: string | null;
  /** 1-based. */
  line: number | null;
  /** 1-based. */
  column: number | null;
  message: string;
  /** The package (CMake target or make directory) the problem belongs to; null when nothing says. */
  package: string | null;
  /**
   * A short stable word for what kind of problem it is, for grouping and for choosing a fix:
   * see `categorizeDiagnostic` for the list.
   */
  category: string;
  /** The whole block as printed: leading context lines, the diagnostic, its notes, carets and source lines, joined with '\n'. */
  text: string;
  /** When the block's first line arrived, in epoch milliseconds. */
  atMs: number;
}

/**
 * What the build knows of its packages, asked by the collector to attribute a diagnostic.
 * Answers come from the project model or from what the build printed so far; null means "cannot tell".
 */
export interface PackageResolver {
  /** The package that compiles this source path (as printed by the compiler: relative or absolute). */
  packageOfSource(path: string): string | null;
  /** The package that produces this output (an object file path or a link output such as `programs/zstd`). */
  packageOfOutput(path: string): string | null;
}

/** Bounds that keep a collector's memory small however much a build prints. */
export interface DiagnosticCollectorOptions {
  /** Diagnostics kept with their text; later ones are only counted. Default 500. */
  maxDiagnostics?: number;
  /** Longest block text kept, in UTF-16 code units; the rest of a longer block is cut. Default 16 KiB. */
  maxBlockChars?: number;
}
