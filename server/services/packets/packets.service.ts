// Recipient packets: a dispute's evidence shaped to what each processor, marketplace and courier takes.
// The listing plans every profile (cheap, sizes estimated); a download builds one packet exactly (fitting
// derived copies in a folder of its own), adds packet.json and checklist.txt, and streams the ZIP.
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { FileReadable } from '../../../storage/file-readable';
import { writeZip, type ZipEntry } from '../../../storage/zip-writer';
import type { Language, PacketRecipient } from '../../domain/vocabulary';
import { fail } from '../../errors';
import type { AuditService } from '../audit.service';
import type { Principal } from '../auth.service';
import type { BundleService } from '../bundle.service';
import type { DisputesService, Reminder } from '../disputes.service';
import { createLimiter } from '../work-lane';
import { buildFiles, measureBuilt, type BuiltFile } from './builder';
import { checklistText } from './checklist-text';
import { deadlineMoment } from './deadlines';
import { gatherFacts, type PacketFacts } from './facts';
import type { Fitting } from './fitting-port';
import { checkLimits, type LimitCheck } from './limits';
import { createMediaSource, type PacketBlobs } from './media-source';
import type { PacketLinks } from './packet-links';
import { packetStrings, writeNarrative } from './narrative';
import { estimatedPages, planPacket, type PacketPlan, type PlannedFile } from './planner';
import type { FieldFile, RecipientProfile } from './profile';
import { isRecipient, profileOf, profiles } from './registry';

export const PACKET_FORMAT = 'packtrail-packet/v1';
/** Deadlines closer than this are raised as reminders (as disputes.service does for respond-by dates). */
const DUE_SOON_MS = 48 * 3_600_000;

interface PacketsDeps {
  disputes: Pick<DisputesService, 'get' | 'evidenceOriginals' | 'requireRow' | 'list'>;
  /** The packets' links to the full originals (packet-links.ts). */
  links: PacketLinks;
  bundles: Pick<BundleService, 'exportClaimPacket'>;
  blobs: PacketBlobs;
  fitting: Fitting;
  audit: Pick<AuditService, 'record'>;
  shop: () => { name: string; timezone: string; reportLanguage: Language };
  /** Where builders make their folders (on the data disk: a re-encoded video can be tens of megabytes). */
  workDir: string;
  clock: () => Date;
  /** Whether an independent time-stamping authority (TSA_URL) attests the log's checkpoints; if not, the text says times rest on the seller's server. */
  attestedTime?: boolean;
  /**
   * Whether share links name an address a recipient can open (PUBLIC_URL set to a host other than this
   * machine). If not, packets carry no link, and say PUBLIC_URL must be set for one.
   */
  linksReachable?: boolean;
}

export interface PacketListing {
  recipient: PacketRecipient;
  name: string;
  suggested: boolean;
  downloadUrl: string;
  /** `estimated`: a file still to be made, whose bytes are its budget; the ZIP's packet.json has the exact size. */
  included: { path: string; role: PlannedFile['role']; description: string; bytes: number; estimated?: true; evidence?: number; originalSha256?: string }[];
  missing: { code: string; text: string }[];
  limits: LimitCheck[];
  deadline: { at: string | null; rule: string; basis: string };
  shareLink?: { url: string; expiresAt: string };
}

/** The file name a packet downloads as: the order ID made safe for a header and a file system. */
const safeName = (orderId: string) => orderId.replace(/[^A-Za-z0-9._-]+/g, '_');

/** What a profile's fields may name: the files it carries, by what they are. */
const fieldFiles = (files: { path: string; kind: PlannedFile['kind']; evidence?: number }[]): FieldFile[] =>
  files.flatMap((file) => (file.kind === 'claim' ? [] : [{ path: file.path, kind: file.kind, ...(file.evidence !== undefined ? { evidence: file.evidence } : {}) }]));

/** Where in `fields` a file's path is named ("shipping_documentation", "shopifyEvidence.SHIPPING_DOCUMENTATION_FILE"). */
function fieldNaming(fields: Record<string, unknown>, filePath: string): string | undefined {
  const walk = (value: unknown, at: string): string | undefined => {
    if (value === filePath) return at;
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) {
        const found = walk(item, `${at}[${index}]`);
        if (found) return found;
      }
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        // The plain list of every file is no field of the recipient's.
        if (at === '' && key === 'files') continue;
        const found = walk(item, at ? `${at}.${key}` : key);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(fields, '');
}

const textLength = (profile: RecipientProfile, fields: Record<string, unknown>) => profile.textOf(fields).reduce((sum, text) => sum + [...text].length, 0);

export function createPacketsService(deps: PacketsDeps) {
  const { disputes, bundles, blobs, fitting, audit, shop, workDir, clock } = deps;
  const attestedTime = deps.attestedTime ?? false;
  const linksReachable = deps.linksReachable ?? true;
  // A link to the full originals of nothing is no link (a dispute with no evidence gets none), and a link
  // to localhost is one no recipient can open (PUBLIC_URL unset): the packet goes without.
  const linkable = (disputeId: string) => linksReachable && disputes.evidenceOriginals(disputeId).length > 0;
  const links = {
    ...deps.links,
    current: (disputeId: string, recipient: PacketRecipient) => (linkable(disputeId) ? deps.links.current(disputeId, recipient) : undefined),
    forPacket: (actor: Principal, disputeId: string, recipient: PacketRecipient) => (linkable(disputeId) ? deps.links.forPacket(actor, disputeId, recipient) : undefined),
  };

  /** A profile's plan, with what the server's own setting leaves out named among the missing items. */
  const planFor = (profile: RecipientProfile, facts: PacketFacts, language: Language): PacketPlan => {
    const plan = planPacket(profile, facts, language);
    if (!profile.allowsLink || linksReachable || facts.evidence.length === 0) return plan;
    return { ...plan, missing: [...plan.missing, { code: 'NO_PUBLIC_URL', text: packetStrings(language).missing.NO_PUBLIC_URL }] };
  };
  const source = createMediaSource(blobs);
  // Re-encoding a video takes both cores for a while: one packet is built at a time, the others wait.
  const oneAtATime = createLimiter(1);

  const factsOf = (disputeId: string) => {
    const { name, timezone } = shop();
    return gatherFacts(disputes, disputeId, { name, timezone }, clock());
  };

  /**
   * A download is exact: a recording whose length processing has not recorded yet is measured on its
   * original, so the plan and the narrative use its real length (never 0 s against a length limit).
   */
  async function measureUnknownDurations(facts: PacketFacts): Promise<void> {
    const views = [...facts.evidence.map((item) => item.media), ...facts.captures.flatMap((capture) => capture.media)];
    const unknown = [...new Set(views.filter((media) => (media.type === 'video' || media.type === 'audio') && media.durationMs === undefined).map((media) => media.sha256))];
    for (const sha256 of unknown) {
      const durationMs = await source.durationMs(sha256);
      if (durationMs === undefined) continue;
      for (const media of views) if (media.sha256 === sha256) media.durationMs = durationMs;
    }
  }

  const requireProfile = (recipient: string) => (isRecipient(recipient) ? profileOf(recipient) : fail('NOT_FOUND', `No such recipient: ${recipient}.`));

  /** The listing's limits: the plan's figures (budgets for files still to be made), the fields' text as planned. */
  function plannedLimits(plan: PacketPlan, facts: PacketFacts): LimitCheck[] {
    if (plan.profile.claimPacket) return [];
    const narrative = writeNarrative(facts, plan.language, { attestedTime, derived: plan.files.some((file) => file.role === 'derived') });
    const fields = plan.profile.fields({ facts, narrative, files: fieldFiles(plan.files) });
    const kindOf = (file: PlannedFile) => (file.kind === 'video' ? 'video' : file.kind === 'evidencePdf' ? 'pdf' : 'photo') as 'video' | 'pdf' | 'photo';
    const video = plan.files.find((file) => file.kind === 'video');
    const videoSeconds = video?.make.how === 'video' || video?.make.how === 'original' ? (facts.evidence.find((item) => item.number === video.evidence)?.media.durationMs ?? 0) / 1000 : 0;
    const pdf = plan.files.find((file) => file.make.how === 'pdf');
    return checkLimits(plan.profile, {
      files: plan.files.map((file) => ({ bytes: file.bytes, kind: kindOf(file) })),
      pages: pdf?.make.how === 'pdf' ? estimatedPages(pdf.make) : 0,
      videoSeconds: Math.min(videoSeconds, plan.profile.limits.maxVideoSeconds ?? Number.POSITIVE_INFINITY),
      textCharacters: textLength(plan.profile, fields),
      unacceptedFiles: 0,
    }, plan.language, { estimated: true });
  }

  function listing(plan: PacketPlan, facts: PacketFacts, disputeId: string): PacketListing {
    const link = plan.profile.allowsLink ? links.current(disputeId, plan.recipient) : undefined;
    return {
      recipient: plan.recipient,
      name: plan.name,
      suggested: plan.suggested,
      downloadUrl: `/api/v1/disputes/${disputeId}/packets/${plan.recipient}.zip?lang=${plan.language}`,
      included: plan.files.map((file) => ({
        path: file.path, role: file.role, description: file.description, bytes: Math.round(file.bytes),
        ...(file.role !== 'original' ? { estimated: true as const } : {}),
        ...(file.evidence !== undefined ? { evidence: file.evidence } : {}),
        ...(file.originalSha256 && file.role === 'derived' ? { originalSha256: file.originalSha256 } : {}),
      })),
      missing: plan.missing,
      limits: plannedLimits(plan, facts),
      deadline: plan.deadline,
      ...(link ? { shareLink: { url: link.url, expiresAt: link.expiresAt } } : {}),
    };
  }

  /** packet.json and checklist.txt for built files (or, for the courier, the originals the claim packet carries). */
  function packetDocuments(
    plan: PacketPlan,
    facts: PacketFacts,
    files: (Pick<BuiltFile, 'path' | 'role' | 'kind' | 'description' | 'evidence' | 'originalSha256'> & { sha256?: string; bytes?: number })[],
    shareLink: { url: string; expiresAt: string } | undefined,
    limitsFor: (fields: Record<string, unknown>) => LimitCheck[],
    missing: { code: string; text: string }[],
  ) {
    const narrative = writeNarrative(facts, plan.language, { attestedTime, ...(shareLink ? { shareLink } : {}), derived: files.some((file) => file.role === 'derived') });
    const fields = plan.profile.fields({ facts, narrative, files: fieldFiles(files), ...(shareLink ? { shareLink } : {}) });
    const limits = limitsFor(fields);
    const packetJson = {
      format: PACKET_FORMAT,
      recipient: plan.recipient,
      disputeId: facts.dispute.id,
      orderId: facts.dispute.orderId,
      language: plan.language,
      generatedAt: facts.generatedAt,
      fields,
      files: files.flatMap((file) => {
        if (!file.sha256 || file.bytes === undefined) return [];
        const recipientField = fieldNaming(fields, file.path);
        return [{
          path: file.path, role: file.role, description: file.description, ...(recipientField ? { recipientField } : {}),
          ...(file.role === 'derived' && file.originalSha256 ? { originalSha256: file.originalSha256 } : {}),
          sha256: file.sha256, bytes: file.bytes,
        }];
      }),
      deadline: plan.deadline,
      ...(shareLink ? { shareLink } : {}),
    };
    const checklist = checklistText({
      profile: plan.profile, language: plan.language, timezone: facts.timezone, name: plan.name, orderId: facts.dispute.orderId, disputeId: facts.dispute.id,
      generatedAt: facts.generatedAt, files, missing, limits, deadline: plan.deadline, ...(shareLink ? { shareLink } : {}),
    });
    return {
      packetJson: Buffer.from(`${JSON.stringify(packetJson, null, 2)}\n`),
      checklist: Buffer.from(checklist),
    };
  }

  async function exportClaim(plan: PacketPlan, facts: PacketFacts, options: { actor: Principal; requestOrigin?: string }) {
    const link = plan.profile.allowsLink ? links.forPacket(options.actor, facts.dispute.id, plan.recipient) : undefined;
    const shareLink = link ? { url: link.url, expiresAt: link.expiresAt } : undefined;
    try {
      // Only the originals' sizes and hashes are known before the letter renders; manifest.json lists every file's.
      const files = plan.files.map(({ bytes, ...file }) => ({ ...file, ...(file.role === 'original' ? { sha256: file.originalSha256, bytes } : {}) }));
      const documents = packetDocuments(plan, facts, files, shareLink, () => [], plan.missing);
      const claim = await bundles.exportClaimPacket(facts.dispute.id, {
        language: plan.language,
        actor: options.actor,
        anyCounterparty: true,
        ...(options.requestOrigin ? { requestOrigin: options.requestOrigin } : {}),
        extraDocuments: [
          { path: 'packet.json', description: 'The courier claim form\'s fields (recipient packet)', content: documents.packetJson },
          { path: 'checklist.txt', description: 'What is included, missing, the deadline and how to send it', content: documents.checklist },
        ],
      });
      return { filename: `${safeName(facts.dispute.orderId)}-courier-packet.zip`, start: claim.start };
    } catch (error) {
      if (link) links.undo(facts.dispute.id, link);
      throw error;
    }
  }

  async function exportFitted(plan: PacketPlan, facts: PacketFacts, actor: Principal) {
    await fsp.mkdir(workDir, { recursive: true });
    const dir = await fsp.mkdtemp(path.join(workDir, `${plan.recipient}-`));
    const link = plan.profile.allowsLink ? links.forPacket(actor, facts.dispute.id, plan.recipient) : undefined;
    const shareLink = link ? { url: link.url, expiresAt: link.expiresAt } : undefined;
    try {
      const narrative = writeNarrative(facts, plan.language, { attestedTime, ...(shareLink ? { shareLink } : {}), derived: plan.files.some((file) => file.role === 'derived') });
      const built = await buildFiles({ plan, facts, narrative, source, fitting, dir, language: plan.language });
      const missing = [...plan.missing, ...built.missing];
      const documents = packetDocuments(plan, facts, built.files, shareLink, (fields) => measureBuilt(plan, built.files, textLength(plan.profile, fields), plan.language), missing);
      const entries: ZipEntry[] = [
        { path: 'packet.json', content: () => documents.packetJson },
        { path: 'checklist.txt', content: () => documents.checklist },
        ...built.files.map((file): ZipEntry => ({ path: file.path, open: () => FileReadable.open(file.file), size: file.bytes })),
      ];
      const generatedAt = new Date(facts.generatedAt);
      const start = () => {
        audit.record({
          actorType: actor.kind,
          actorId: actor.id,
          action: 'export',
          subjectType: 'dispute',
          subjectId: facts.dispute.id,
          detail: { packet: plan.recipient, language: plan.language, files: built.files.map((file) => ({ path: file.path, sha256: file.sha256 })) },
        });
        return async (out: Writable) => {
          try {
            await writeZip(entries, { mtime: generatedAt }, out);
          } finally {
            await fsp.rm(dir, { recursive: true, force: true });
          }
        };
      };
      return { filename: `${safeName(facts.dispute.orderId)}-${plan.recipient}-packet.zip`, start, discard: () => fsp.rm(dir, { recursive: true, force: true }) };
    } catch (error) {
      await fsp.rm(dir, { recursive: true, force: true });
      if (link) links.undo(facts.dispute.id, link);
      throw error;
    }
  }

  return {
    /** Removes builders' folders a crash left behind; called at start, before any packet is built. */
    async sweep(): Promise<void> {
      await fsp.rm(workDir, { recursive: true, force: true });
    },

    /** Every recipient's packet planned for this dispute: suggested first, then the rest, each in registry order. */
    list(disputeId: string, { language = shop().reportLanguage }: { language?: Language } = {}): { items: PacketListing[] } {
      disputes.requireRow(disputeId);
      const facts = factsOf(disputeId);
      const items = profiles.map((profile) => listing(planFor(profile, facts, language), facts, disputeId));
      return { items: [...items.filter((item) => item.suggested), ...items.filter((item) => !item.suggested)] };
    },

    /** Checks the dispute and recipient exist (a HEAD request): nothing is built, linked or audited. */
    check(disputeId: string, recipient: string) {
      const profile = requireProfile(recipient);
      const { orderId } = disputes.get(disputeId);
      return { filename: `${safeName(orderId)}-${profile.recipient}-packet.zip` };
    },

    /**
     * One packet built, ready to stream: its files made and measured before the first byte, so an error
     * is still answered as JSON. `start` records the export and returns the ZIP writer, which removes the
     * builder's folder when done.
     */
    async exportPacket(
      disputeId: string,
      recipient: string,
      { language = shop().reportLanguage, actor, requestOrigin }: { language?: Language; actor: Principal; requestOrigin?: string },
    ): Promise<{ filename: string; start: () => (out: Writable) => Promise<void> }> {
      const profile = requireProfile(recipient);
      disputes.requireRow(disputeId);
      return oneAtATime(async () => {
        const facts = factsOf(disputeId);
        if (!profile.claimPacket) await measureUnknownDurations(facts);
        const plan = planFor(profile, facts, language);
        if (profile.claimPacket) return exportClaim(plan, facts, { actor, ...(requestOrigin ? { requestOrigin } : {}) });
        return exportFitted(plan, facts, actor);
      });
    },

    /**
     * Deadlines of recipients' own rules that no respond-by date covers: an open marketplace dispute
     * without one, whose suggested recipient (Amazon, Coupang) counts its own time, within 48 hours or
     * overdue. Worked out on each read, like courier filing deadlines.
     */
    reminders(): Reminder[] {
      const now = clock().getTime();
      return disputes.list('open').flatMap((summary): Reminder[] => {
        if (summary.respondBy || summary.counterparty !== 'marketplace') return [];
        const facts = factsOf(summary.id);
        return profiles.flatMap((profile): Reminder[] => {
          if (profile.deadlineRule !== 'amazon' && profile.deadlineRule !== 'coupang') return [];
          if (!profile.suggested(facts)) return [];
          const at = deadlineMoment(profile.deadlineRule, facts);
          if (!at) return [];
          const due = Date.parse(at);
          const kind = due <= now ? 'overdue' : due - now <= DUE_SOON_MS ? 'due_soon' : undefined;
          if (!kind) return [];
          const since = new Date(kind === 'overdue' ? due : due - DUE_SOON_MS).toISOString();
          return [{
            disputeId: summary.id, kind, deadline: 'recipient', recipient: profile.recipient, respondBy: at,
            raisedAt: since > summary.createdAt ? since : summary.createdAt, dispute: summary,
          }];
        });
      });
    },
  };
}

export type PacketsService = ReturnType<typeof createPacketsService>;
