// Every translation, one file per language per audience (server/i18n/<audience>/<language>.json or
// .ts), for the languages of the vocabulary. English is each audience's reference: the others have
// exactly its keys (tests/i18n checks). Labels of vocabulary terms are keyed by the terms' codes.
import { disputeReasons, type Language } from '../domain/vocabulary';
import type * as vocabulary from '../domain/vocabulary';
import dashboardEn from './dashboard/en.json';
import dashboardKo from './dashboard/ko.json';
import dashboardZhTW from './dashboard/zh-TW.json';
import packEn from './pack/en.json';
import packKo from './pack/ko.json';
import packZhTW from './pack/zh-TW.json';
import packetsEn from './packets/en';
import packetsKo from './packets/ko';
import packetsZhTW from './packets/zh-TW';
import reportsEn from './reports/en';
import reportsKo from './reports/ko';
import reportsZhTW from './reports/zh-TW';
import repliesEn from './replies/en';
import repliesKo from './replies/ko';
import repliesZhTW from './replies/zh-TW';
import shareEn from './share/en.json';
import shareKo from './share/ko.json';
import shareZhTW from './share/zh-TW.json';
import verifierEn from './verifier/en.json';
import verifierKo from './verifier/ko.json';
import verifierZhTW from './verifier/zh-TW.json';

/** A message with plural forms, chosen by Intl.PluralRules (languages without plurals give a plain string). */
export type PluralMessage = { other: string } & Partial<Record<Intl.LDMLPluralRule, string>>;

export const translations = {
  /** The seller dashboard (server/web/dashboard), bundled into it: flat keys, {name} placeholders. */
  dashboard: { en: dashboardEn, ko: dashboardKo, 'zh-TW': dashboardZhTW } satisfies Record<Language, Record<string, string | PluralMessage>>,
  /** The packer app (server/web/pack), served to it as translations.js: flat keys, {name} placeholders. */
  pack: { en: packEn, ko: packKo, 'zh-TW': packZhTW } satisfies Record<Language, Record<string, string | PluralMessage>>,
  /** The share-link page (server/web/share). */
  share: { en: shareEn, ko: shareKo, 'zh-TW': shareZhTW } satisfies Record<Language, Record<keyof typeof shareEn, string>>,
  /** Dispute reports and courier claim letters (server/services/reports). */
  reports: { en: reportsEn, ko: reportsKo, 'zh-TW': reportsZhTW } satisfies Record<Language, typeof reportsEn>,
  /** Recipient packets (server/services/packets): their narrative, checklist.txt and the listing's texts. */
  packets: { en: packetsEn, ko: packetsKo, 'zh-TW': packetsZhTW } satisfies Record<Language, typeof packetsEn>,
  /** Reply drafts to buyers, marketplaces and payment processors: the default templates and the words around them (server/services/replies.service.ts). */
  replies: { en: repliesEn, ko: repliesKo, 'zh-TW': repliesZhTW } satisfies Record<Language, typeof repliesEn>,
  /** The offline verifier page of every bundle (verification/verify.html), where they are embedded. */
  verifier: { en: verifierEn, ko: verifierKo, 'zh-TW': verifierZhTW } satisfies Record<Language, Record<keyof typeof verifierEn, string>>,
};

export type Audience = keyof typeof translations;

type VocabularyList = { [K in keyof typeof vocabulary]: (typeof vocabulary)[K] extends readonly string[] ? K : never }[keyof typeof vocabulary];

/**
 * Where each audience labels vocabulary terms: the key of a term's label is the prefix followed by its
 * code (nested objects read as dotted paths), so a new term without its label fails the tests.
 */
export const vocabularyLabels: Record<Audience, [VocabularyList, string][]> = {
  dashboard: [
    ['captureKinds', 'capture.kind.'],
    ['checklistItems', 'checklist.'],
    ['checklistResults', 'result.'],
    ['inspectionOutcomes', 'outcome.'],
    ['mediaTypes', 'media.'],
    ['disputeReasons', 'disputes.reasons.'],
    ['counterparties', 'disputes.counterparties.'],
    ['disputeStatuses', 'disputes.statuses.'],
    ['claimKinds', 'dispute.claimKinds.'],
    ['claimPhotoKinds', 'dispute.claimPhotos.'],
    ['replyStages', 'replies.stage.'],
    ['replyPlaceholders', 'replies.placeholder.'],
  ],
  pack: [
    ['captureKinds', 'mode.'],
    ['checklistItems', 'inspect.'],
    ['checklistResults', 'inspect.'],
    ['inspectionOutcomes', 'outcome.'],
    ['claimPhotoKinds', 'tag.'],
  ],
  // What a photo is tagged as showing (the courier photo set), as the share page names it.
  share: [['claimPhotoKinds', 'tag.']],
  verifier: [],
  packets: [['packetRecipients', 'recipientNames.'], ['packetRecipients', 'upload.']],
  // A template for every reason at every stage, and a name for every fact a template may leave blank.
  replies: [...disputeReasons.map((reason): [VocabularyList, string] => ['replyStages', `templates.${reason}.`]), ['replyPlaceholders', 'facts.']],
  reports: [
    ['disputeReasons', 'reasons.'],
    ['counterparties', 'counterparties.'],
    ['disputeStatuses', 'statuses.'],
    ['captureKinds', 'captureKinds.'],
    ['mediaTypes', 'mediaTypes.'],
    ['checklistItems', 'checklistItems.'],
    ['checklistResults', 'checklistResults.'],
    ['inspectionOutcomes', 'outcomes.'],
    ['claimPhotoKinds', 'claimPhotos.'],
    ['carrierKeys', 'carriers.'],
    ['carrierKeys', 'carrierRules.terms.'],
    ['claimKinds', 'claimTitle.'],
  ],
};
