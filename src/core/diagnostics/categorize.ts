import type { DiagnosticStart } from '../parse/types.js';

type Rule = readonly [RegExp | ((subject: string) => boolean), string];

const MISSING_FILE_RE = /^['‘]?(.+?)['’]?(?:: No such file or directory| file not found)$/;
const HEADER_NAME_RE = /^[^.]+$|\.(?:h|hh|hpp|hxx|h\+\+|inc|inl|tcc|ipp|def)$/i;

const COMPILER_RULES: readonly Rule[] = [
  [/internal compiler error/i, 'compiler-crash'],
  [/Killed signal terminated program|virtual memory exhausted|out of memory|cannot allocate memory/i, 'out-of-memory'],
  [/\[-Werror(?:=[\w+=-]+)?\]$/, 'warning-as-error'],
  [isMissingHeader, 'missing-header'],
  [/No such file or directory|file not found/, 'missing-file'],
  [/unrecognized command[- ]line option|unrecognized option|unknown argument|unknown (?:warning|target) option/i, 'bad-option'],
  [/static assertion failed|static_assert/, 'static-assert'],
  [
    /was not declared|undeclared|has not been declared|is not a member of|has no member named|no member named|does not name a type|unknown type name|no type named|is not a namespace|is not a class, namespace|implicit declaration of function/,
    'undeclared',
  ],
  [/redefinition of|conflicting declaration|conflicting types for|redeclared as different kind|previously defined here/, 'redefinition'],
  [
    /expected .+ before|expected (?:primary-expression|unqualified-id|declaration|identifier|expression|initializer|statement|type-specifier|['‘][^'’]*['’])|stray .+ in program|missing terminating|unterminated|extra tokens at end|invalid preprocessing directive|#endif without #if|unbalanced/,
    'syntax',
  ],
  [
    /incomplete type|invalid conversion|cannot convert|no matching (?:function|constructor|member)|no match for|invalid operands|incompatible (?:type|pointer)|invalid use of|cannot bind|discards .*qualifier|is ambiguous|ambiguous overload|is private within|is protected within|use of deleted function|abstract type|narrowing conversion|lvalue required|read-only|cannot be used as a function|too (?:many|few) arguments/,
    'type',
  ],
];

const LINKER_RULES: readonly Rule[] = [
  [/undefined reference|undefined symbol|unresolved external/, 'undefined-reference'],
  [/multiple definition|duplicate symbol/, 'multiple-definition'],
  [/cannot find -l|cannot find lib|library not found|unable to find library|cannot find \S+\.(?:a|so)\b/, 'missing-library'],
  [/ld returned \d+ exit status|linker command failed/, 'link-failed'],
];

const BUILD_TOOL_RULES: readonly Rule[] = [[/No rule to make target|missing and no known rule to make it/, 'missing-rule']];

const CMAKE_RULES: readonly Rule[] = [
  [/^\s*\w*(?:_LIBRARY|_LIBRARIES|_LIB)(?:_\w+)?\s*(?:\(ADVANCED\))?\s*$/m, 'missing-library'],
  [/^\s*\w*(?:_INCLUDE_DIR|_INCLUDE_DIRS|_INCLUDE_PATH)(?:_\w+)?\s*(?:\(ADVANCED\))?\s*$/m, 'missing-header'],
  [/Could not find a package configuration file|Could NOT find|No package ['‘][^'’]+['’] found|required packages were not found/, 'missing-package'],
];

const FALLBACK: Record<DiagnosticStart['tool'], string> = {
  compiler: 'compile-error',
  linker: 'link-error',
  make: 'build-step-failed',
  ninja: 'build-step-failed',
  cmake: 'cmake-config',
};

/**
 * A short stable category for a diagnostic, so that problems can be grouped and matched to a fix
 * without reading their text. Warnings are 'warning' and notes standing alone are 'note'. Errors are:
 * compiler: 'missing-header', 'missing-file', 'undeclared', 'type', 'syntax', 'redefinition', 'static-assert',
 * 'warning-as-error', 'bad-option', 'out-of-memory', 'compiler-crash', else 'compile-error';
 * linker: 'undefined-reference', 'multiple-definition', 'missing-library', 'link-failed', else 'link-error';
 * make and ninja: 'missing-rule', else 'build-step-failed';
 * CMake: 'missing-library' and 'missing-header' (a NOTFOUND library or include variable), 'missing-package',
 * else 'cmake-config'. `text` is the whole block; only CMake's categories look past the message.
 */
export function categorizeDiagnostic(severity: DiagnosticStart['severity'], tool: DiagnosticStart['tool'], message: string, text: string): string {
  if (severity === 'warning') return 'warning';
  if (severity === 'note') return 'note';
  const subject = tool === 'cmake' ? text : message;
  for (const [test, category] of rulesOf(tool)) if (typeof test === 'function' ? test(subject) : test.test(subject)) return category;
  return FALLBACK[tool];
}

function rulesOf(tool: DiagnosticStart['tool']): readonly Rule[] {
  switch (tool) {
    case 'compiler':
      return COMPILER_RULES;
    case 'linker':
      return LINKER_RULES;
    case 'cmake':
      return CMAKE_RULES;
    default:
      return BUILD_TOOL_RULES;
  }
}

/** `foo.h: No such file or directory` (gcc) or `'foo.h' file not found` (clang), for a header-like name (`vector` too). */
function isMissingHeader(message: string): boolean {
  const m = MISSING_FILE_RE.exec(message);
  if (!m) return false;
  const path = m[1]!;
  return HEADER_NAME_RE.test(path.slice(path.lastIndexOf('/') + 1));
}
