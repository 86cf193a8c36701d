// The weight sentence a claims agent reads: consistent, light (by how many of which item) or heavy.
import { describe, expect, it } from 'vitest';
import { weightSentence } from '../../server/services/reports/weight-assessment';
import { assessCaptureWeights, assessWeight as assess, checkWeight, type WeightAssessmentInput } from '../../server/services/weights';

// The rule's data with the renderer's sentence beside it, as the reports put them together.
const assessWeight = (input: WeightAssessmentInput) => {
  const assessment = assess(input);
  return { ...assessment, sentence: (lang: 'en' | 'ko' | 'zh-TW') => weightSentence(assessment, lang) };
};

const napkins = [{ name: 'Linen napkins, dozen', quantity: 4, unitWeightGrams: 570 }];

describe('assessWeight', () => {
  it('calls a parcel within 5 % of the items consistent, and says what one item less would weigh', () => {
    const assessment = assessWeight({ measuredGrams: 2310, items: napkins });
    expect(assessment).toMatchObject({ verdict: 'ok', expectedGrams: 2280, itemCount: 4, missingOneItemGrams: 1710, differenceGrams: 30 });
    expect(assessment.sentence('en')).toBe(
      '2,310 g measured; 4 items expected 2,280 g ± 5 %; consistent with all items; one item missing would weigh about 1,710 g',
    );
    expect(assessment.sentence('ko')).toBe(
      '측정 2,310 g; 상품 4개 예상 2,280 g ± 5 %; 모든 상품이 들어 있는 무게와 일치; 상품 1개가 빠졌다면 약 1,710 g',
    );
    expect(assessment.sentence('zh-TW')).toBe('實測 2,310 g；4 件商品預期 2,280 g ± 5 %；與全部商品相符；若少 1 件約為 1,710 g');
  });

  it('names the item whose weight a light parcel is missing', () => {
    const assessment = assessWeight({ measuredGrams: 1710, items: napkins });
    expect(assessment.verdict).toBe('light');
    expect(assessment.explainedBy).toEqual([{ name: 'Linen napkins, dozen', count: 1, unitWeightGrams: 570, grams: 570 }]);
    expect(assessment.sentence('en')).toBe(
      '1,710 g measured; 4 items expected 2,280 g ± 5 %; 570 g lighter than expected, about one 570 g item short (Linen napkins, dozen)',
    );
    expect(assessment.sentence('ko')).toContain('예상보다 570 g 가벼움, 약 570 g짜리 상품 1개(Linen napkins, dozen)만큼 모자람');
    expect(assessment.sentence('zh-TW')).toContain('比預期輕 570 g，約少了 1 件 570 g 的商品（Linen napkins, dozen）');
  });

  it('counts several missing units of the same item', () => {
    const assessment = assessWeight({ measuredGrams: 1150, items: napkins });
    expect(assessment.explainedBy[0]).toMatchObject({ count: 2, grams: 1140 });
    expect(assessment.sentence('en')).toContain('1,130 g lighter than expected, about two 570 g items short (Linen napkins, dozen)');
  });

  it('picks, among different items, the one that fits the shortfall', () => {
    const items = [
      { name: 'Watch', quantity: 1, unitWeightGrams: 180 },
      { name: 'Spare strap', quantity: 2, unitWeightGrams: 40 },
      { name: 'Gift box', quantity: 1, unitWeightGrams: 350 },
    ];
    expect(assessWeight({ measuredGrams: 430, items }).sentence('en')).toBe(
      '430 g measured; 4 items expected 610 g ± 5 %; 180 g lighter than expected, about one 180 g item short (Watch)',
    );
    expect(assessWeight({ measuredGrams: 610, items }).sentence('en')).toContain(
      'without the lightest item (Spare strap) it would weigh about 570 g',
    );
  });

  it('says plainly when no whole number of any item explains a shortfall', () => {
    const sentence = assessWeight({ measuredGrams: 1900, items: napkins }).sentence('en');
    expect(sentence).toBe('1,900 g measured; 4 items expected 2,280 g ± 5 %; 380 g lighter than expected; no whole number of any one item accounts for the difference');
  });

  it('admits when one light item missing could not be seen on the scale', () => {
    const items = [
      { name: 'Laptop', quantity: 1, unitWeightGrams: 1800 },
      { name: 'USB stick', quantity: 1, unitWeightGrams: 12 },
    ];
    const assessment = assessWeight({ measuredGrams: 1805, items });
    expect(assessment.undetectableItem).toEqual({ name: 'USB stick', unitWeightGrams: 12 });
    expect(assessment.sentence('en')).toContain('consistent with all items; weight alone cannot show whether one USB stick is missing');
    expect(assessment.sentence('ko')).toContain('USB stick 1개가 빠졌는지는 무게만으로 알 수 없음');
  });

  it('suggests an extra unit for a heavy parcel, or packaging when none fits', () => {
    expect(assessWeight({ measuredGrams: 2860, items: napkins }).sentence('en')).toBe(
      '2,860 g measured; 4 items expected 2,280 g ± 5 %; 580 g heavier than expected, as if one more 570 g item (Linen napkins, dozen) were in the box',
    );
    expect(assessWeight({ measuredGrams: 2600, items: napkins })).toMatchObject({ verdict: 'heavy', explainedBy: [] });
    expect(assessWeight({ measuredGrams: 2600, items: napkins }).sentence('en')).toContain('320 g heavier than expected; heavier packaging or an extra item may account for it');
  });

  it('honours a given expected weight and tolerance', () => {
    const assessment = assessWeight({ measuredGrams: 2400, items: napkins, expectedGrams: 2300, tolerance: 0.02 });
    expect(assessment.verdict).toBe('heavy');
    expect(assessment.sentence('en')).toMatch(/^2,400 g measured; 4 items expected 2,300 g ± 2 %; 100 g heavier/);
  });

  it('is "unknown" without a measurement or without every item weight, and says which', () => {
    expect(assessWeight({ items: napkins })).toMatchObject({ verdict: 'unknown' });
    expect(assessWeight({ items: napkins }).sentence('en')).toBe('No weight was measured at packing; 4 items expected 2,280 g ± 5 %');
    const partial = assessWeight({ measuredGrams: 800, items: [{ name: 'Mug', quantity: 1, unitWeightGrams: 350 }, { name: 'Tea', quantity: 1 }] });
    expect(partial.verdict).toBe('unknown');
    expect(partial.sentence('en')).toBe('800 g measured; no expected weight (not every item has a unit weight: Tea)');
    expect(partial.sentence('zh-TW')).toBe('實測 800 g；沒有預期重量（部分商品沒有單件重量：Tea）');
  });

  it('holds a capture to the verdict it was given: the packaging and tolerance it counted, or no expected weight at all, not today\'s order', () => {
    const order = { items: napkins, expectedWeightGrams: 2400, expectedWeightParts: { packagingGrams: 120 } };
    const capture = { id: 'c', kind: 'packing' as const, startedAt: '2026-05-01T00:00:00Z', weightGrams: 2350 };
    // Finished when 2,280 g of napkins and 150 g of packaging were expected, with 2 %.
    const [then] = assessCaptureWeights(order, [{ ...capture, weightCheck: { ...checkWeight(2350, 2430, 0.02), packagingGrams: 150 } }]);
    expect(weightSentence(then.assessment, 'en')).toBe('2,350 g measured; 4 items + 150 g packaging expected 2,430 g ± 2 %; 80 g lighter than expected; no whole number of any one item accounts for the difference');
    // Finished before every item had a weight: no verdict now that one could be computed.
    const [unknown] = assessCaptureWeights(order, [{ ...capture, weightCheck: checkWeight(2350, undefined) }]);
    expect(unknown.assessment.verdict).toBe('unknown');
    expect(weightSentence(unknown.assessment, 'en')).toBe('2,350 g measured; no expected weight was known when it was weighed');
    expect(weightSentence(unknown.assessment, 'ko')).toBe('측정 2,350 g; 무게를 잴 때 알려진 예상 무게 없음');
  });

  it('speaks of a single item in the singular', () => {
    const sentence = assessWeight({ measuredGrams: 180, items: [{ name: 'Watch', quantity: 1, unitWeightGrams: 180 }] }).sentence('en');
    expect(sentence).toBe('180 g measured; 1 item expected 180 g ± 5 %; consistent with all items');
  });
});

describe('checkWeight (the verdict every screen and document shows)', () => {
  it('answers codes and numbers: ok within the tolerance, light below, heavy above, unknown without both weights', () => {
    expect(checkWeight(2310, 2280)).toEqual({ verdict: 'ok', measuredGrams: 2310, expectedGrams: 2280, differenceGrams: 30, tolerancePercent: 5, against: 'expected' });
    expect(checkWeight(2394, 2280).verdict).toBe('ok');
    expect(checkWeight(2395, 2280)).toMatchObject({ verdict: 'heavy', differenceGrams: 115 });
    expect(checkWeight(1710, 2280)).toMatchObject({ verdict: 'light', differenceGrams: -570 });
    expect(checkWeight(800, undefined)).toEqual({ verdict: 'unknown', measuredGrams: 800, tolerancePercent: 5, against: 'expected' });
    expect(checkWeight(undefined, 2280)).toEqual({ verdict: 'unknown', expectedGrams: 2280, tolerancePercent: 5, against: 'expected' });
  });

  it('is the verdict the detailed assessment gives', () => {
    for (const measuredGrams of [1150, 1710, 2200, 2280, 2400, 2860]) {
      expect(assessWeight({ measuredGrams, items: napkins }).verdict).toBe(checkWeight(measuredGrams, 2280).verdict);
    }
  });
});
