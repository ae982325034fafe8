import { CmakeMakeParser } from './cmake-make-parser.js';
import { GnuMakeParser } from './gnu-make-parser.js';
import { NinjaParser } from './ninja-parser.js';
import type { Dialect, LineParser } from './types.js';

/** Options for a line parser. */
export interface LineParserOptions {
  /** The NINJA_STATUS the build ran with; ninja's default `[%f/%t] ` when absent. */
  ninjaStatusFormat?: string;
}

/** A fresh streaming parser for one build's output in the given dialect. */
export function createLineParser(dialect: Dialect, options?: LineParserOptions): LineParser {
  switch (dialect) {
    case 'ninja':
      return new NinjaParser(options?.ninjaStatusFormat);
    case 'gnu-make':
      return new GnuMakeParser();
    default:
      return new CmakeMakeParser();
  }
}
