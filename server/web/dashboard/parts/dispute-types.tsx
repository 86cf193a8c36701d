// A dispute as the API answers it, typed from the server's own schemas, and the words for its codes.
import type { Static } from '@sinclair/typebox';
import type { DisputeDetailSchema, DisputeSchema, EvidenceSchema, ShareSchema } from '../../../routes/disputes.routes';
import { t, termKey } from '../i18n';

export type Dispute = Static<typeof DisputeSchema>;
export type DisputeDetail = Static<typeof DisputeDetailSchema>;
export type Evidence = Static<typeof EvidenceSchema>;
export type Share = Static<typeof ShareSchema>;

export const reasonLabel = (code: string) => t(termKey('disputes.reasons', code));
export const counterpartyLabel = (code: string) => t(termKey('disputes.counterparties', code));
export const statusLabel = (code: string) => t(termKey('disputes.statuses', code));

/** The status as a small badge, its colour saying open, done well or not. */
export function StatusBadge({ status }: { status: string }) {
  return <span class={`status-badge status-${status}`}>{statusLabel(status)}</span>;
}
