/**
 * Module hooks (Node's `module.register`), chained after tsx's: a module
 * whose URL carries the proof marker is compiled by tsx, then instrumented
 * (transform.ts); the marker passes to the modules it imports, except
 * Interleave itself (its entry becomes a module that re-exports the copy
 * already running, so one harness serves both) and node_modules packages the
 * marker does not name.
 */
import { instrument } from './transform.ts';

export const MARK = 'interleave-proof';
const SHIM = 'interleave-proof-harness:';

interface Data {
  /** URLs of Interleave's entry modules, and the names each exports. */
  readonly entries: Record<string, readonly string[]>;
  /** Interleave's own folder (src/ or dist/): its modules are never instrumented. */
  readonly harnessDir: string;
}

let data: Data = { entries: {}, harnessDir: '' };

export function initialize(d: Data): void {
  data = d;
}

/** The packages a marked URL opts in, from its marker (`interleave-proof=p-limit,fastq`). */
function markerOf(url: string): string | undefined {
  const i = url.indexOf(`${MARK}=`);
  if (i < 0) return undefined;
  const end = url.indexOf('&', i);
  return url.slice(i, end < 0 ? undefined : end);
}

function optedIn(url: string, marker: string): boolean {
  const packages = decodeURIComponent(marker.slice(MARK.length + 1)).split(',').filter((p) => p !== '' && p !== '1');
  return packages.some((p) => url.includes(`/node_modules/${p}/`));
}

type Resolve = (specifier: string, context: { parentURL?: string | undefined }) => Promise<{ url: string; format?: string | null | undefined }>;
type Load = (url: string, context: object) => Promise<{ format?: string | null | undefined; source?: string | ArrayBuffer | Uint8Array | null | undefined }>;

export async function resolve(specifier: string, context: { parentURL?: string | undefined }, next: Resolve): Promise<object> {
  const parent = context.parentURL;
  const marker = parent === undefined ? undefined : markerOf(parent);
  const result = await next(specifier, context);
  if (marker === undefined) return result;
  const url = result.url.split('?')[0]!;
  if (data.entries[url] !== undefined) return { url: `${SHIM}${encodeURIComponent(url)}`, format: 'module', shortCircuit: true };
  if (!url.startsWith('file:') || url.startsWith(data.harnessDir)) return result;
  if (url.includes('/node_modules/') && !optedIn(url, marker)) return result;
  return { ...result, url: `${result.url}${result.url.includes('?') ? '&' : '?'}${marker}` };
}

export async function load(url: string, context: object, next: Load): Promise<object> {
  if (url.startsWith(SHIM)) {
    const names = data.entries[decodeURIComponent(url.slice(SHIM.length))] ?? [];
    const key = JSON.stringify(decodeURIComponent(url.slice(SHIM.length)));
    const exported = names.filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
    const source =
      `const h = globalThis[Symbol.for('interleave.proof.harness')][${key}];\n` +
      `export const { ${exported.join(', ')} } = h;\n` +
      (names.includes('default') ? 'export default h.default;\n' : '');
    return { format: 'module', source, shortCircuit: true };
  }
  const result = await next(url, context);
  if (markerOf(url) === undefined || result.format !== 'module' || result.source === null || result.source === undefined) return result;
  const text = typeof result.source === 'string' ? result.source : new TextDecoder().decode(result.source);
  try {
    const { code } = instrument(text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'), url.split('?')[0]!);
    return { ...result, source: code };
  } catch (error) {
    // Left as it is: every call into it from instrumented code makes its step opaque.
    const why = JSON.stringify(`${url.split('?')[0]} could not be instrumented (${String((error as Error)?.message ?? error)})`);
    return { ...result, source: `globalThis[Symbol.for('interleave.proof.skipped')]?.(${why});\n${text}` };
  }
}
