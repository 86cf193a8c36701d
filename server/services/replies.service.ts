// Reply drafts: for a dispute's reason, a message at every stage in the chosen language, filled with
// the order's and the dispute's facts. The templates are the defaults of server/i18n/replies unless
// the owner has rewritten them; a fact the order lacks is left as a visible "[…]" marker, never a blank.
import type { ReplyTemplateKey, ReplyTemplateRow, ReplyTemplatesRepository } from '../../storage/reply-templates.repository';
import {
  disputeReasons, replyPlaceholders, replyStages, type DisputeReason, type Language, type ReplyPlaceholder, type ReplyStage,
} from '../domain/vocabulary';
import { fail } from '../errors';
import { translations } from '../i18n';
import type { ReplyStrings } from '../i18n/replies/en';
import type { Principal } from './auth.service';
import type { CaptureView } from './captures.service';
import type { DisputesService } from './disputes.service';
import { formatDateTime, formatGrams, formatMoney, strings as reportStrings } from './reports/i18n';

/** Long enough for any message a marketplace's form takes; short enough to stay a message. */
export const MAX_TEMPLATE_LENGTH = 4000;

const PLACEHOLDER = /\{(\w+)\}/g;
const known = new Set<string>(replyPlaceholders);

export interface ReplyTemplateView {
  reason: DisputeReason;
  stage: ReplyStage;
  language: Language;
  body: string;
  /** True while the shop uses Packtrail's own wording; false once the owner has saved their own. */
  isDefault: boolean;
  updatedAt?: string;
}

export interface ReplyDraft {
  stage: ReplyStage;
  body: string;
  isDefault: boolean;
  /** Facts the template names that this order or dispute does not have: each is a "[…]" marker in the body. */
  missing: { placeholder: ReplyPlaceholder; marker: string }[];
}

type Facts = Partial<Record<ReplyPlaceholder, string>>;

interface RepliesDeps {
  templates: ReplyTemplatesRepository;
  disputes: Pick<DisputesService, 'get'>;
  shop: () => { name: string; timezone: string };
  clock: () => Date;
}

const wordsOf = (language: Language): ReplyStrings => translations.replies[language] ?? translations.replies.en;

/** The placeholders a body names that no template may use, each once, in order of appearance. */
export function unknownPlaceholders(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((match) => match[1]).filter((name) => !known.has(name)))];
}

/** The body with each {placeholder} replaced by its fact, or by a marker naming the fact that is missing. */
export function fill(body: string, facts: Facts, words: ReplyStrings): Omit<ReplyDraft, 'stage' | 'isDefault'> {
  const missing = new Map<ReplyPlaceholder, string>();
  const filled = body.replace(PLACEHOLDER, (whole, name: string) => {
    if (!known.has(name)) return whole;
    const placeholder = name as ReplyPlaceholder;
    const value = facts[placeholder];
    if (value !== undefined && value !== '') return value;
    const marker = (words.fillIn as Partial<Record<ReplyPlaceholder, string>>)[placeholder] ?? words.missing.replace('{fact}', words.facts[placeholder]);
    missing.set(placeholder, marker);
    return marker;
  });
  return { body: filled, missing: [...missing].map(([placeholder, marker]) => ({ placeholder, marker })) };
}

const latest = (captures: CaptureView[], kind: CaptureView['kind']) =>
  captures.filter((capture) => capture.kind === kind).sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];

/** What the drafts can say about one dispute and its order, in one language, times in the shop's zone. */
function factsOf(dispute: ReturnType<DisputesService['get']>, language: Language, shop: { name: string; timezone: string }): Facts {
  const words = wordsOf(language);
  const labels = reportStrings(language);
  const { order } = dispute;
  const time = (iso: string | undefined) => (iso ? formatDateTime(iso, shop.timezone) : undefined);
  const packing = latest(order.captures, 'packing');
  const weighed = order.captures
    .filter((capture) => capture.kind === 'packing' && capture.weightGrams !== undefined)
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  const unboxing = latest(order.captures, 'unboxing');

  const facts: Facts = {
    shopName: shop.name,
    buyerName: order.buyer?.name,
    orderId: order.orderId,
    items: order.items.map((item) => `${item.name} × ${item.quantity}`).join(words.listSeparator) || undefined,
    packedAt: time(packing?.startedAt),
    weight: weighed?.weightGrams !== undefined ? formatGrams(weighed.weightGrams, language) : undefined,
    expectedWeight: order.expectedWeightGrams !== undefined ? formatGrams(order.expectedWeightGrams, language) : undefined,
    trackingNumber: (order.trackingNumbers.length ? order.trackingNumbers : [packing?.trackingNumber].filter(Boolean)).join(', ') || undefined,
    carrier: order.carrier,
    returnOpenedAt: time(unboxing?.startedAt),
    returnFindings: unboxing ? findingsOf(unboxing, words, labels) : undefined,
    reference: dispute.reference,
    amount: dispute.amount ? formatMoney(dispute.amount.value, dispute.amount.currency, language) : undefined,
    respondBy: time(dispute.respondBy),
    // Not a shop setting yet, and a share link's address is shown only once when it is made: the seller writes both in.
    returnFee: undefined,
    shareLink: undefined,
    outcome: dispute.status === 'open' ? undefined : words.outcomes[dispute.status],
  };
  facts.evidence = dispute.evidence.length ? evidenceLines(dispute, words, labels, shop.timezone) : words.noEvidence;
  return facts;
}

/** "assessed as “Used”; problems noted with Seal, Signs of use" from a return inspection. */
function findingsOf(unboxing: CaptureView, words: ReplyStrings, labels: ReturnType<typeof reportStrings>): string | undefined {
  const parts: string[] = [];
  const outcome = unboxing.outcome as keyof typeof labels.outcomes | undefined;
  if (outcome && labels.outcomes[outcome]) parts.push(words.findingsOutcome.replace('{outcome}', labels.outcomes[outcome]));
  const issues = (unboxing.checklist ?? [])
    .filter((entry) => entry.result === 'issue')
    .map((entry) => labels.checklistItems[entry.item as keyof typeof labels.checklistItems] ?? entry.item);
  if (issues.length) parts.push(words.findingsIssues.replace('{items}', issues.join(words.listSeparator)));
  else if (unboxing.checklist?.length) parts.push(words.findingsNone);
  return parts.length ? parts.join('; ') : undefined;
}

/** One line per piece of evidence the seller picked, in their order: what it is, when the server received it, the caption. */
function evidenceLines(dispute: ReturnType<DisputesService['get']>, words: ReplyStrings, labels: ReturnType<typeof reportStrings>, timeZone: string): string {
  const captureById = new Map(dispute.order.captures.map((capture) => [capture.id, capture]));
  return dispute.evidence
    .map((item) => {
      const capture = item.capture ?? (item.media ? captureById.get(item.media.captureId) : undefined);
      const kind = capture ? labels.captureKinds[capture.kind] : undefined;
      const what = item.media
        ? [kind, labels.mediaTypes[item.media.type]].filter(Boolean).join(' · ')
        : [kind, [...new Set(captureById.get(item.captureId!)?.media.map((media) => labels.mediaTypes[media.type]) ?? [])].join(words.listSeparator)].filter(Boolean).join(' · ');
      const at = formatDateTime(item.media?.receivedAt ?? capture?.startedAt ?? item.createdAt, timeZone);
      const caption = item.caption ?? item.media?.caption;
      const line = caption ? words.evidenceLineCaptioned : words.evidenceLine;
      return line.replace(/\{(what|time|caption)\}/g, (_whole, name: string) => (name === 'what' ? what : name === 'time' ? at : caption!));
    })
    .join('\n');
}

export function createRepliesService({ templates, disputes, shop, clock }: RepliesDeps) {
  const defaultBody = ({ reason, stage, language }: ReplyTemplateKey) => wordsOf(language).templates[reason][stage];

  function view(key: ReplyTemplateKey, row: ReplyTemplateRow | undefined): ReplyTemplateView {
    return row
      ? { ...key, body: row.body, isDefault: false, updatedAt: row.updated_at }
      : { ...key, body: defaultBody(key), isDefault: true };
  }

  /** Every reason × stage in one language, edited or default. */
  function list(language: Language): ReplyTemplateView[] {
    const edited = new Map(templates.byLanguage(language).map((row) => [`${row.reason}/${row.stage}`, row]));
    return disputeReasons.flatMap((reason) => replyStages.map((stage) => view({ reason, stage, language }, edited.get(`${reason}/${stage}`))));
  }

  return {
    list,

    save(principal: Principal, key: ReplyTemplateKey, body: string): ReplyTemplateView {
      if (body.trim() === '') fail('VALIDATION_FAILED', 'A template cannot be empty; reset it to go back to the default.');
      if (body.length > MAX_TEMPLATE_LENGTH) fail('VALIDATION_FAILED', `A template is at most ${MAX_TEMPLATE_LENGTH} characters; this one has ${body.length}.`);
      const unknown = unknownPlaceholders(body);
      if (unknown.length) {
        fail(
          'VALIDATION_FAILED',
          `Unknown placeholder ${unknown.map((name) => `{${name}}`).join(', ')}. A template may use: ${replyPlaceholders.map((name) => `{${name}}`).join(', ')}.`,
          { unknownPlaceholders: unknown },
        );
      }
      // Saving the default's own words keeps the default, so later improvements to it still reach this shop.
      if (body === defaultBody(key)) {
        templates.remove(key);
        return view(key, undefined);
      }
      templates.upsert({ ...key, body, updated_by: principal.kind === 'user' ? principal.id : null, updated_at: clock().toISOString() });
      return view(key, templates.get(key));
    },

    reset(key: ReplyTemplateKey): void {
      templates.remove(key);
    },

    /** The dispute's reason at every stage, filled with its facts in `language`. */
    drafts(disputeId: string, language: Language): { disputeId: string; reason: DisputeReason; language: Language; drafts: ReplyDraft[] } {
      const dispute = disputes.get(disputeId);
      const words = wordsOf(language);
      const facts = factsOf(dispute, language, shop());
      const byStage = new Map(list(language).filter((template) => template.reason === dispute.reason).map((template) => [template.stage, template]));
      return {
        disputeId,
        reason: dispute.reason,
        language,
        drafts: replyStages.map((stage) => {
          const template = byStage.get(stage)!;
          return { stage, isDefault: template.isDefault, ...fill(template.body, facts, words) };
        }),
      };
    },
  };
}

export type RepliesService = ReturnType<typeof createRepliesService>;
