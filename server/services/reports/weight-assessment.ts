// A weight assessment (server/services/weights.ts) in one plain sentence a claims agent can read:
// consistent with every item (or, for a return, with the parcel as it was packed), or light (and by
// how many of which item), or heavy. Words only; the verdict and its numbers come with the assessment.
import type { Language } from '../../domain/vocabulary';
import type { WeightAssessment } from '../weights';
import { formatGrams, formatPercent, strings } from './i18n';

export function weightSentence(assessment: WeightAssessment, lang: Language): string {
  const w = strings(lang).weight;
  const g = (grams: number) => formatGrams(grams, lang);
  const { measuredGrams, expectedGrams, differenceGrams, tolerance, itemCount, packagingGrams } = assessment;
  const shipped = assessment.against === 'shipped';
  const tolerancePart = formatPercent(tolerance, lang);
  const counted = packagingGrams !== undefined ? w.withPackaging(w.items(itemCount), g(packagingGrams)) : w.items(itemCount);
  const expectedPart = (expected: number) => (shipped ? w.shippedPart(g(expected), tolerancePart) : w.expectedPart(counted, g(expected), tolerancePart));

  if (assessment.verdict === 'unknown' || measuredGrams === undefined || expectedGrams === undefined || differenceGrams === undefined) {
    if (measuredGrams === undefined) {
      return [w.noMeasured, ...(expectedGrams !== undefined && expectedGrams > 0 ? [expectedPart(expectedGrams)] : [])].join(w.separator);
    }
    // Every item has a weight now, yet none was known when the parcel was weighed (or there are no items).
    const noExpected = assessment.unweighedItems.length > 0 ? w.noExpected(assessment.unweighedItems.join(', ')) : w.noExpectedThen;
    return [w.measuredPart(g(measuredGrams)), noExpected].join(w.separator);
  }

  const parts = [w.measuredPart(g(measuredGrams)), expectedPart(expectedGrams)];
  const candidates = (unit: typeof w.unitShort) =>
    assessment.explainedBy.map((match) => unit(match.count, g(match.unitWeightGrams), match.name)).join(w.or);
  const hasCandidates = assessment.explainedBy.length > 0;
  if (assessment.verdict === 'ok') {
    parts.push(shipped ? w.consistentShipped : w.consistent);
    const { undetectableItem, missingOneItemGrams, lightestItem } = assessment;
    if (undetectableItem) parts.push(w.tooLightToTell(undetectableItem.name));
    else if (missingOneItemGrams !== undefined && lightestItem) {
      parts.push(lightestItem.allWeighAlike ? w.oneMissing(g(missingOneItemGrams)) : w.lightestMissing(g(missingOneItemGrams), lightestItem.name));
    }
  } else if (assessment.verdict === 'light') {
    const lighter = (shipped ? w.lighterShipped : w.lighter)(g(-differenceGrams));
    parts.push(hasCandidates ? `${lighter}${w.comma}${w.short(candidates(w.unitShort))}` : `${lighter}${w.separator}${w.noMatch}`);
  } else {
    const heavier = (shipped ? w.heavierShipped : w.heavier)(g(differenceGrams));
    const unexplained = shipped ? w.repackedOrExtra : w.packagingOrExtra;
    parts.push(hasCandidates ? `${heavier}${w.comma}${w.extra(candidates(w.unitExtra))}` : `${heavier}${w.separator}${unexplained}`);
  }
  return parts.join(w.separator);
}
