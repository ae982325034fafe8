import type { LinkArtifact } from '../parse/types.js';
import { parseCmakeObjectPath } from '../parse/cmake-object-path.js';
import type { PackageRecord } from './package-record.js';
import { artifactStem, lastPart, withoutArtifactExtension } from './printed-path.js';
import type { SourceIndex } from './source-index.js';

const MAX_PENDING_LINKS = 64;

/**
 * Which package made an output when no model says so: its object path, an artifact seen before, or a
 * target named after the file. A CMake link whose name fits no target waits until a `Built target` line
 * claims it.
 */
export class LinkAttribution {
  private readonly artifacts = new Map<string, string>();
  private readonly pendingLinks: string[] = [];

  constructor(private readonly pkgs: ReadonlyMap<string, PackageRecord>, private readonly sources: SourceIndex) {}

  /** `file` (an artifact's base name, or as the model names it) is made by `pkg`. */
  setArtifact(file: string, pkg: string): void {
    this.artifacts.set(file, pkg);
  }

  /** The package that produces `path`: an object under `CMakeFiles/<t>.dir/`, a known artifact, or `lib<name>.a`. */
  packageOfOutput(path: string): string | null {
    const obj = parseCmakeObjectPath(path);
    if (obj.target !== null) return obj.target;
    const base = lastPart(path);
    const known = this.artifacts.get(base);
    if (known !== undefined) return known;
    const stem = artifactStem(base);
    if (this.pkgs.has(stem)) return stem;
    if (this.pkgs.has(base)) return base;
    return this.sources.find(path.replace(/\.(o|obj)$/, ''));
  }

  /**
   * Which package a link line is for, without a model: `lib/libzstd.a` is `libzstd_static` when that
   * target exists, `libuv.a` is `uv_a`, else the name without `lib` and the extension.
   */
  linkedPackage(output: string, artifact: LinkArtifact): string | null {
    const known = this.artifacts.get(lastPart(output));
    if (known !== undefined) return known;
    const object = parseCmakeObjectPath(output).target;
    if (object !== null) return object;
    const withLib = withoutArtifactExtension(lastPart(output));
    const stem = withLib.replace(/^lib/, '');
    const words = artifact === 'shared' || artifact === 'module' ? ['shared', 'so', 'dynamic'] : artifact === 'static' ? ['static', 'a'] : [];
    const open = (n: string): boolean => {
      const p = this.pkgs.get(n);
      return p !== undefined && p.status !== 'completed' && p.status !== 'failed';
    };
    for (const word of words) {
      for (const n of [`${withLib}_${word}`, `${stem}_${word}`, `${withLib}-${word}`, `${stem}-${word}`]) if (open(n)) return n;
    }
    for (const n of [withLib, stem]) if (this.pkgs.has(n)) return n;
    return null;
  }

  /** `Linking C executable myapp` of a target with another OUTPUT_NAME: its `Built target` will say whose. */
  deferLink(output: string): void {
    if (this.pendingLinks.length < MAX_PENDING_LINKS) this.pendingLinks.push(lastPart(output));
  }

  /** A target with compiled files that is built without a link line of its own took the oldest unplaced link. */
  claimPendingLink(name: string): void {
    const p = this.pkgs.get(name);
    if (this.pendingLinks.length === 0 || !p || p.status === 'linking' || (p.done.size === 0 && p.current.length === 0)) return;
    this.artifacts.set(this.pendingLinks.shift()!, name);
  }
}
