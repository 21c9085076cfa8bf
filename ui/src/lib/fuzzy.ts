// Fuzzy matching for the command palette: the query's letters must appear in order in the label
// ("gtp" finds "Go to Pipeline"); matches at word starts and runs of letters rank higher.

const WORD_START = 8;
const RUN = 4;
const LETTER = 1;

function isWordStart(text: string, i: number): boolean {
  if (i === 0) return true;
  const prev = text.charAt(i - 1);
  return prev === ' ' || prev === '-' || prev === '_' || prev === '/';
}

/** A score (higher is better) when every letter of `query` appears in order in `text`, else null. */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (!q) return 0;
  const t = text.toLowerCase();
  // Jumping ahead to word starts can strand a later letter ("ac" in "xac a"): then match plainly.
  return scan(q, t, true) ?? scan(q, t, false);
}

function scan(q: string, t: string, preferWordStarts: boolean): number | null {
  let score = 0;
  let from = 0;
  let last = -2;
  for (const ch of q) {
    // Prefer the next word start with this letter over an earlier mid-word one, so "nl" reads
    // "New Lead" and ranks it above labels where the letters only occur mid-word.
    let at = t.indexOf(ch, from);
    if (at < 0) return null;
    if (preferWordStarts && !isWordStart(t, at) && at !== last + 1) {
      for (let k = at + 1; k < t.length; k++) {
        if (t.charAt(k) === ch && isWordStart(t, k)) {
          at = k;
          break;
        }
      }
    }
    score += LETTER;
    if (isWordStart(t, at)) score += WORD_START;
    if (at === last + 1) score += RUN;
    last = at;
    from = at + 1;
  }
  // Among equals, the shorter label is the closer match.
  return score - t.length / 100;
}

/** The items whose label matches, best first; the original order breaks ties. */
export function fuzzyFilter<T>(items: readonly T[], query: string, label: (item: T) => string): T[] {
  if (!query.trim()) return [...items];
  const scored: { item: T; score: number; index: number }[] = [];
  items.forEach((item, index) => {
    const score = fuzzyScore(query, label(item));
    if (score !== null) scored.push({ item, score, index });
  });
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  return scored.map((s) => s.item);
}
