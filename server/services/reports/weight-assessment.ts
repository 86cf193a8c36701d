// A weight assessment (server/services/weights.ts) in one plain sentence a claims agent can read:
// consistent with every item, or light (and by how many of which item), or heavy. Words only; the
// verdict and its numbers come with the assessment.
import type { Language } from '../../domain/vocabulary';
import type { WeightAssessment } from '../weights';
import { formatGrams, formatPercent, strings } from './i18n';

export function weightSentence(assessment: WeightAssessment, lang: Language): string {
  const w = strings(lang).weight;
  const g = (grams: number) => formatGrams(grams, lang);
  const { measuredGrams, expectedGrams, differenceGrams, tolerance, itemCount } = assessment;
  const expectedPart = (expected: number) => w.expectedPart(w.items(itemCount), g(expected), formatPercent(tolerance, lang));

  if (assessment.verdict === 'unknown' || measuredGrams === undefined || expectedGrams === undefined || differenceGrams === undefined) {
    if (measuredGrams === undefined) {
      return [w.noMeasured, ...(expectedGrams !== undefined && expectedGrams > 0 ? [expectedPart(expectedGrams)] : [])].join(w.separator);
    }
    return [w.measuredPart(g(measuredGrams)), w.noExpected(assessment.unweighedItems.join(', '))].join(w.separator);
  }

  const parts = [w.measuredPart(g(measuredGrams)), expectedPart(expectedGrams)];
  const candidates = assessment.explainedBy.map((match) => w.unit(match.count, match.name, g(match.grams))).join(w.or);
  const hasCandidates = assessment.explainedBy.length > 0;
  if (assessment.verdict === 'ok') {
    parts.push(w.consistent);
    const { undetectableItem, missingOneItemGrams, lightestItem } = assessment;
    if (undetectableItem) parts.push(w.tooLightToTell(undetectableItem.name));
    else if (missingOneItemGrams !== undefined && lightestItem) {
      parts.push(lightestItem.allWeighAlike ? w.oneMissing(g(missingOneItemGrams)) : w.lightestMissing(g(missingOneItemGrams), lightestItem.name));
    }
  } else if (assessment.verdict === 'light') {
    const lighter = w.lighter(g(-differenceGrams));
    parts.push(hasCandidates ? `${lighter}${w.comma}${w.aboutWeightOf(candidates)}` : `${lighter}${w.separator}${w.noMatch}`);
  } else {
    const heavier = w.heavier(g(differenceGrams));
    parts.push(hasCandidates ? `${heavier}${w.comma}${w.extra(candidates)}` : `${heavier}${w.separator}${w.packagingOrExtra}`);
  }
  return parts.join(w.separator);
}
