// checklist.txt in the packet's language: what is included (each file, original or derived, a derived
// file's original by SHA-256), what is missing and why it matters, each limit with the packet's figure,
// the deadline, the link to the originals, and how to upload.
import type { Language } from '../../domain/vocabulary';
import { formatDateTime, formatNumber } from '../reports/i18n';
import type { PacketDeadline } from './deadlines';
import type { LimitCheck } from './limits';
import { packetStrings } from './narrative';
import type { FileRole, MissingItem } from './planner';
import type { RecipientProfile } from './profile';

export interface ChecklistInput {
  profile: RecipientProfile;
  language: Language;
  timezone: string;
  name: string;
  orderId: string;
  disputeId: string;
  generatedAt: string;
  /** `bytes` absent where the size is only known once the ZIP is written (the claim letter). */
  files: { path: string; role: FileRole; description: string; bytes?: number; originalSha256?: string }[];
  missing: MissingItem[];
  limits: LimitCheck[];
  deadline: PacketDeadline;
  shareLink?: { url: string; expiresAt: string };
}

/** Lines wrapped at about 100 columns, continuation lines indented under their text. */
function wrap(text: string, indent: string, width = 100): string {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && (line + ' ' + word).length > width - indent.length) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((text, index) => (index === 0 ? text : indent + text)).join('\n');
}

export function checklistText(input: ChecklistInput): string {
  const t = packetStrings(input.language);
  const c = t.checklist;
  const when = (iso: string) => formatDateTime(iso, input.timezone);
  const out: string[] = [];
  const heading = (text: string) => out.push('', text, '-'.repeat(Math.min(60, [...text].length * 2)));
  const bullet = (text: string) => out.push(`- ${wrap(text, '  ')}`);

  out.push(c.title(input.name), c.order(input.orderId, input.disputeId), c.generated(when(input.generatedAt)));

  heading(c.included);
  for (const file of input.files) {
    const size = file.bytes === undefined ? '' : `${formatNumber(file.bytes, input.language)} B; `;
    bullet(`${file.path} (${size}${c.roles[file.role]}): ${file.description}${file.role === 'derived' && file.originalSha256 ? `; ${c.derivedFrom(file.originalSha256)}` : ''}`);
  }

  heading(c.missing);
  if (input.missing.length === 0) out.push(c.nothingMissing);
  for (const item of input.missing) bullet(`[${item.code}] ${item.text}`);

  if (input.limits.length > 0) {
    heading(c.limits);
    for (const limit of input.limits) bullet(`${limit.ok ? '✓' : '✗'} ${limit.text}`);
  }

  heading(c.deadline);
  out.push(input.deadline.at ? when(input.deadline.at) : c.noDeadline);
  bullet(input.deadline.rule);
  bullet(input.deadline.basis);

  if (input.shareLink) {
    out.push('');
    out.push(wrap(c.shareLink(input.shareLink.url, when(input.shareLink.expiresAt)), ''));
  }

  heading(c.howToUpload);
  out.push(wrap(t.upload[input.profile.recipient], ''));
  out.push('', wrap(c.fieldsNote, ''));
  if (input.profile.recipient === 'stripe' || input.profile.recipient === 'shopify') out.push('', wrap(c.fileIdNote, ''));
  return `${out.join('\n')}\n`;
}
