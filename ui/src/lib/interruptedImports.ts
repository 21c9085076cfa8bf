// Imports that did not finish (the app or the laptop stopped midway): nothing of them was kept,
// which the rep learns at the next start and on the import history until dismissed.
import type { InterruptedImport } from './bindings';

/** The file's own name, as the rep knows it. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** "The import of leads.csv did not finish…" for the start's toast; null for none. */
export function interruptedText(found: readonly InterruptedImport[]): string | null {
  if (!found.length) return null;
  const what =
    found.length === 1 ? `The import of ${baseName(found[0].file)}` : `${found.length} imports (${found.map((f) => baseName(f.file)).join(', ')})`;
  return `${what} did not finish — Outpost stopped before it ended. Nothing of ${found.length === 1 ? 'it' : 'them'} was kept: import the file again.`;
}
