// Maps a line of the device JS that tsc emitted back to its .ts line, from tsc's .js.map
// (Source Map v3: `mappings` as base64 VLQ segments; spec https://sourcemaps.info/spec.html).
import fs from 'node:fs';
import path from 'node:path';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const digit = new Map([...BASE64].map((c, i) => [c, i]));

/** The numbers of one mapping segment ("AAAA" → [0, 0, 0, 0]). */
export function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of segment) {
    const d = digit.get(c);
    if (d === undefined) throw new Error(`source map: bad base64 digit ${JSON.stringify(c)}`);
    value += (d & 31) * 2 ** shift;
    if (d & 32) {
      shift += 5;
      continue;
    }
    out.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    shift = 0;
  }
  if (shift) throw new Error('source map: segment ends inside a number');
  return out;
}

export interface SourcePosition {
  /** The source file as the map names it, resolved against the map's directory. */
  file: string;
  /** 0-based. */
  line: number;
}

/** Per generated line (0-based), the original position of its first mapped segment. */
export function parseSourceMap(mapFile: string): (SourcePosition | undefined)[] {
  const map = JSON.parse(fs.readFileSync(mapFile, 'utf8')) as {
    version: number;
    sources: string[];
    sourceRoot?: string;
    mappings: string;
  };
  if (map.version !== 3) throw new Error(`${mapFile}: source map version ${map.version}, 3 expected`);
  const dir = path.join(path.dirname(mapFile), map.sourceRoot ?? '');
  const sources = map.sources.map((s) => path.resolve(dir, s));
  const lines: (SourcePosition | undefined)[] = [];
  let source = 0;
  let origLine = 0;
  let origColumn = 0;
  for (const [generated, text] of map.mappings.split(';').entries()) {
    for (const segment of text.split(',')) {
      if (!segment) continue;
      const v = decodeVlq(segment);
      if (v.length < 4) continue;
      source += v[1]!;
      origLine += v[2]!;
      origColumn += v[3]!;
      lines[generated] ??= { file: sources[source]!, line: origLine };
    }
  }
  return lines;
}

/** Maps (module path, 0-based JS line) → .ts position through the maps in `jsDir`
 * (<jsDir>/<module>.js.map); undefined when there is no map or no mapping near the line. */
export class SourceMapper {
  private readonly cache = new Map<string, (SourcePosition | undefined)[] | null>();
  constructor(private readonly jsDir: string) {}

  map(module: string, line: number): SourcePosition | undefined {
    let lines = this.cache.get(module);
    if (lines === undefined) {
      const file = path.join(this.jsDir, `${module}.js.map`);
      lines = fs.existsSync(file) ? parseSourceMap(file) : null;
      this.cache.set(module, lines);
    }
    if (!lines) return undefined;
    // A line without a segment (only a brace, say): the next mapped line within three.
    for (let l = line; l < Math.min(lines.length, line + 3); l++) if (lines[l]) return lines[l];
    return undefined;
  }
}
