// A weight verdict as the server gives it (weightCheck: codes and grams), shown as an icon and words,
// never by colour alone: "✓ Weight OK", "⚠ 570 g light", "⚠ 115 g heavy", "? Weight not compared".
import type { Static } from '@sinclair/typebox';
import type { WeightCheckSchema } from '../../../routes/schemas';
import { formatGrams, t, termKey } from '../i18n';

export type WeightCheck = Static<typeof WeightCheckSchema>;

const ICONS: Record<WeightCheck['verdict'], string> = { ok: '✓', light: '⚠', heavy: '⚠', unknown: '?' };

export function WeightVerdict({ check }: { check: WeightCheck }) {
  const difference = formatGrams(Math.abs(check.differenceGrams ?? 0));
  return (
    <span class={`verdict verdict-${check.verdict}`}>
      <span class="verdict-icon" aria-hidden="true">
        {ICONS[check.verdict]}
      </span>{' '}
      {t(termKey('search.weight', check.verdict), { difference })}
    </span>
  );
}
