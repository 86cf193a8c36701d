// The share link a packet carries to the full originals (30 days, "packet for <recipient>"), shown in the
// listing too. Share tokens are kept only as hashes, so a packet's token is derived from the share's id
// with a server secret (HMAC-SHA256): the listing can name the link again without storing it, and a
// download reuses a live link instead of making one more. Revoking it on the dispute ends it as any share.
import { createHmac } from 'node:crypto';
import type { PacketRecipient } from '../../domain/vocabulary';
import type { Principal } from '../auth.service';
import type { DisputesService } from '../disputes.service';
import { tokenPrefixes } from '../secrets';

/** How long a packet's link stays open: longer than any recipient's review. */
const LINK_HOURS = 30 * 24;
/** A link with less left than this is not handed out again: the recipient may open it days later. */
const REUSE_MIN_LEFT_MS = 7 * 24 * 3_600_000;

export interface PacketLink {
  id: string;
  url: string;
  expiresAt: string;
}

export const packetLinkLabel = (recipient: PacketRecipient) => `packet for ${recipient}`;

export function createPacketLinks(deps: {
  disputes: Pick<DisputesService, 'createShare' | 'listShares' | 'resolveShare' | 'revokeShare' | 'shareUrl'>;
  secret: Buffer;
  clock: () => Date;
}) {
  const { disputes, secret, clock } = deps;
  const tokenFor = (shareId: string) => `${tokenPrefixes.share}_${createHmac('sha256', secret).update(`packet-link:${shareId}`).digest('base64url')}`;

  /** The newest live link made for this recipient with this secret, with at least `minLeftMs` to go. */
  function current(disputeId: string, recipient: PacketRecipient, minLeftMs = 0): PacketLink | undefined {
    const now = clock().getTime();
    const candidates = disputes
      .listShares(disputeId)
      .filter((share) => share.label === packetLinkLabel(recipient) && !share.revokedAt && Date.parse(share.expiresAt) - now > minLeftMs)
      .reverse();
    for (const share of candidates) {
      const token = tokenFor(share.id);
      try {
        // A link made with another secret (a restored DATA_DIR without its key) does not resolve: skipped.
        if (disputes.resolveShare(token).id === share.id) return { id: share.id, url: disputes.shareUrl(token), expiresAt: share.expiresAt };
      } catch {
        continue;
      }
    }
    return undefined;
  }

  return {
    current,
    /** A live link with a week or more to go, or a new one; `made` tells whether this call made it. */
    forPacket(actor: Principal, disputeId: string, recipient: PacketRecipient): PacketLink & { made: boolean } {
      const live = current(disputeId, recipient, REUSE_MIN_LEFT_MS);
      if (live) return { ...live, made: false };
      const share = disputes.createShare(actor, disputeId, LINK_HOURS, { label: packetLinkLabel(recipient), token: (id) => tokenFor(id) });
      return { id: share.id, url: share.url!, expiresAt: share.expiresAt, made: true };
    },
    /** Takes back a link this request made, when the packet it was for could not be built. */
    undo(disputeId: string, link: { id: string; made: boolean }): void {
      if (link.made) disputes.revokeShare(disputeId, link.id);
    },
  };
}

export type PacketLinks = ReturnType<typeof createPacketLinks>;
