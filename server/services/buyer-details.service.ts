// Buyer details are personal data: the owner removes buyers' names and delivery notes from orders older
// than an age they choose. What evidence needs stays: order IDs, items, tracking numbers, the
// pseudonymous buyer ref, captures, media and the evidence log, whose capture facts name the order by
// its ID, never the buyer (services/ledger/capture-facts-entry.ts), so bundles still verify.
import type { OrdersRepository } from '../../storage/orders.repository';
import type { AuditService } from './audit.service';
import type { Principal } from './auth.service';
import type { ImportsService } from './imports/imports.service';

const DAY_MS = 86_400_000;

export function createBuyerDetailsService({
  orders,
  imports,
  audit,
  clock,
}: {
  orders: Pick<OrdersRepository, 'purgeBuyerDetails'>;
  /** Import previews show buyer names too, and staged rows hold them until committed or expired. */
  imports: Pick<ImportsService, 'forgetBuyerDetails'>;
  audit: Pick<AuditService, 'record'>;
  clock: () => Date;
}) {
  return {
    /**
     * Orders created more than `olderThanDays` days ago lose buyer name and delivery note, and import
     * previews of that age (and any expired or committed) the names they showed; idempotent (a repeat purges 0).
     */
    purge(olderThanDays: number, principal: Pick<Principal, 'kind' | 'id'>): { purged: number } {
      const now = clock();
      const before = new Date(now.getTime() - olderThanDays * DAY_MS).toISOString();
      const purged = orders.purgeBuyerDetails(before, now.toISOString());
      const { previewsCleared, stagedDropped } = imports.forgetBuyerDetails(before);
      audit.record({
        actorType: principal.kind,
        actorId: principal.id,
        action: 'buyer_details_purge',
        subjectType: 'orders',
        subjectId: `created-before:${before}`,
        detail: { olderThanDays, createdBefore: before, purged, importPreviewsCleared: previewsCleared, importPreviewsDropped: stagedDropped },
      });
      return { purged };
    },
  };
}

export type BuyerDetailsService = ReturnType<typeof createBuyerDetailsService>;
