export { createLineParser, type LineParserOptions } from './create-line-parser.js';
export { detectDialect, type DialectHint } from './detect-dialect.js';
export { parseCmakeObjectPath, type CmakeObjectPath } from './cmake-object-path.js';
export { DEFAULT_NINJA_STATUS } from './ninja-status-format.js';
export type { CompileLang, Dialect, DiagnosticStart, LineEvent, LineParser, LineProgress, LinkArtifact, ParsedLine } from './types.js';
export { MAX_LINE_PREFIX_CHARS } from './line-text.js';
