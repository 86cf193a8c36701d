// What a share link's holder may see: one dispute's evidence, read-only, every access audited.
import type { MediaRow } from '../../storage/media.repository';
import { fail } from '../errors';
import type { AuditService, EvidenceRead } from './audit.service';
import type { DisputesService, EvidenceOriginal } from './disputes.service';

interface SharesDeps {
  disputes: Pick<DisputesService, 'resolveShare' | 'get' | 'evidenceOriginals' | 'countShareOpen'>;
  audit: Pick<AuditService, 'record' | 'recordEvidenceRead'>;
}

export function createSharesService({ disputes, audit }: SharesDeps) {
  return {
    /**
     * The dispute behind a link, for its page; 404 unknown, 410 expired or revoked. Each opening is
     * audited and counted, so the seller sees whether the recipient looked (a chat app fetching the
     * page for its preview counts too: it is an opening all the same).
     *
     * `languageSwitch`: the page loaded again in another language from its own switch. That is the same
     * person in the same visit, so it is not counted as another opening (the count tells the seller
     * whether, and how often, the link was opened, not how often a reader changed language); it is
     * still audited, with the language, since whoever holds the link read the case once more.
     */
    open(token: string, { languageSwitch }: { languageSwitch?: string } = {}) {
      const share = disputes.resolveShare(token);
      audit.record({
        actorType: 'share',
        actorId: share.id,
        action: 'share_access',
        subjectType: 'dispute',
        subjectId: share.dispute_id,
        ...(languageSwitch ? { detail: { languageSwitch } } : {}),
      });
      if (!languageSwitch) disputes.countShareOpen(share.id);
      return { share, dispute: disputes.get(share.dispute_id), originals: disputes.evidenceOriginals(share.dispute_id) };
    },

    /** One original of the shared evidence; anything else is not there as far as the link knows. */
    media(token: string, mediaId: string): { shareId: string; row: MediaRow } {
      const share = disputes.resolveShare(token);
      const original: EvidenceOriginal | undefined = disputes.evidenceOriginals(share.dispute_id).find((item) => item.row.id === mediaId);
      if (!original) fail('NOT_FOUND', 'No such file in this shared dispute.');
      return { shareId: share.id, row: original.row };
    },

    /** Evidence leaving through the link, once per viewing: the link is the actor, whoever holds it. */
    recordRead(shareId: string, row: MediaRow, read: EvidenceRead): void {
      audit.recordEvidenceRead({ actorType: 'share', actorId: shareId, mediaId: row.id, read });
    },

    /** The dispute a link may export. */
    disputeFor: (token: string) => disputes.resolveShare(token),
  };
}

export type SharesService = ReturnType<typeof createSharesService>;
