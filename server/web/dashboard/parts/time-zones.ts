// Time zone names as a person types them: "Asia/Seoul", "asia/seoul", or just the city ("Taipei",
// "seoul", "new york"). Plain functions over Intl, so the dashboard and its tests share them.

/** Every zone this runtime knows; UTC is not among them in every browser. */
export function knownZones(): string[] {
  try {
    const zones = Intl.supportedValuesOf('timeZone');
    return zones.includes('UTC') ? zones : [...zones, 'UTC'];
  } catch {
    return ['UTC'];
  }
}

/** The zone this browser (or computer) keeps, or UTC when it does not say. */
export function deviceZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The zone's canonical name as Intl spells it ("asia/seoul" → "Asia/Seoul"), or undefined if unknown. */
export function canonicalZone(name: string): string | undefined {
  if (!name.trim()) return undefined;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name.trim() }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const cityKey = (text: string) => text.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
/** "America/Argentina/Buenos_Aires" → "buenos aires": the last part, as people write a city. */
const cityOf = (zone: string) => cityKey(zone.slice(zone.lastIndexOf('/') + 1));

export type ZoneMatch = { zone: string } | { ambiguous: string[] } | { unknown: true };

/**
 * What the typed text names: a zone by its full name (any case), or the one zone whose city it is.
 * A city that several zones share is ambiguous (the person picks from `ambiguous`); nothing is unknown.
 */
export function resolveZone(text: string, zones: string[] = knownZones()): ZoneMatch {
  const exact = canonicalZone(text);
  if (exact) return { zone: exact };
  const wanted = cityKey(text);
  if (!wanted) return { unknown: true };
  const matches = zones.filter((zone) => cityOf(zone) === wanted);
  if (matches.length === 1) return { zone: canonicalZone(matches[0]) ?? matches[0] };
  if (matches.length > 1) return { ambiguous: matches };
  return { unknown: true };
}
