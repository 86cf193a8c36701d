// Stripe's packet.json `fields` is the dispute `evidence` object exactly as Stripe's API takes it: checked
// at compile time against Stripe.DisputeUpdateParams.Evidence from the installed `stripe` package (this
// file is type-checked by `npx tsc --noEmit`), and at run time on a built packet: every key is one of the
// package's evidence keys, every value a string, and the text fields together under 150,000 characters.
import fs from 'node:fs';
import path from 'node:path';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../../server/paths';
import { stripeEvidence, type StripeEvidence } from '../../server/services/packets/recipients/stripe';
import { fixture, startServer, type TestServer } from '../helpers/server';
import { downloadPacket, removeDownloads, makePacketCase, type PacketCase } from './packet-case';

type Evidence = Stripe.DisputeUpdateParams.Evidence;

// ——— compile time ———
// Every field the packet fills is one of Stripe's evidence fields…
type NotStripes = Exclude<keyof StripeEvidence, keyof Evidence>;
const onlyStripesKeys: [NotStripes] extends [never] ? true : false = true;
// …with a type Stripe accepts for it, and what the profile makes is that type.
const asStripeEvidence = (evidence: StripeEvidence): Evidence => evidence;
const madeByTheProfile: (input: Parameters<typeof stripeEvidence>[0]) => Evidence = stripeEvidence;

/** Stripe's evidence keys as the installed package declares them (its DisputeUpdateParams.Evidence interface). */
function stripeEvidenceKeys(): Set<string> {
  const declarations = projectPath('node_modules', 'stripe', 'cjs', 'resources', 'Disputes.d.ts');
  const text = fs.readFileSync(declarations, 'utf8');
  const namespace = text.indexOf('namespace DisputeUpdateParams');
  const start = text.indexOf('interface Evidence {', namespace);
  const end = text.indexOf('\n    }', start);
  return new Set([...text.slice(start, end).matchAll(/^\s{8}(\w+)\?:/gm)].map((match) => match[1]));
}

const FILE_FIELDS = new Set(['cancellation_policy', 'customer_communication', 'customer_signature', 'duplicate_charge_documentation', 'receipt', 'refund_policy', 'service_documentation', 'shipping_documentation', 'uncategorized_file']);

describe('the Stripe packet', () => {
  let server: TestServer;
  let dispute: PacketCase;

  beforeAll(async () => {
    server = await startServer({}, { clock: () => new Date('2026-11-25T01:00:00Z') });
    dispute = await makePacketCase(
      server,
      { photos: [fixture('photo-orientation6-gps.jpg'), fixture('photo.png')], video: fixture('clip.mp4') },
      { orderId: 'STRIPE-ch_3Q', counterparty: 'payment_processor', reason: 'chargeback' },
    );
  });
  afterAll(async () => {
    removeDownloads();
    await server.close();
  });

  it('holds in packet.json exactly the evidence object Stripe’s API takes, text under 150,000 characters', async () => {
    expect(onlyStripesKeys).toBe(true);
    expect(typeof asStripeEvidence).toBe('function');
    expect(typeof madeByTheProfile).toBe('function');
    const { dir } = await downloadPacket(server, dispute.seller, dispute.disputeId, 'stripe');
    const packet = JSON.parse(fs.readFileSync(path.join(dir, 'packet.json'), 'utf8'));
    const evidence: Evidence = packet.fields;

    const keys = stripeEvidenceKeys();
    expect(keys.size).toBeGreaterThan(20);
    for (const [key, value] of Object.entries(evidence)) {
      expect(keys.has(key), `${key} is one of Stripe's evidence fields`).toBe(true);
      expect(typeof value, key).toBe('string');
    }
    // The file fields hold the paths of files in the packet, to be swapped for the IDs Stripe gives on upload.
    const files = Object.entries(evidence).filter(([key]) => FILE_FIELDS.has(key));
    expect(files.map(([key]) => key).sort()).toEqual(['shipping_documentation', 'uncategorized_file']);
    for (const [, value] of files) expect(fs.existsSync(path.join(dir, String(value))), String(value)).toBe(true);
    const text = Object.entries(evidence).filter(([key]) => !FILE_FIELDS.has(key)).map(([, value]) => String(value));
    expect(text.join('').length).toBeLessThan(150_000);
    expect(evidence).toMatchObject({ shipping_carrier: 'CJ Logistics', shipping_tracking_number: '601234567890', shipping_date: '2026-11-20' });
    expect(evidence.uncategorized_text).toContain('STRIPE-ch_3Q');
  });

  it('is suggested for a payment processor’s dispute, with Shopify and PayPal', async () => {
    const { items } = await (await server.request('GET', `/api/v1/disputes/${dispute.disputeId}/packets`, { token: dispute.seller })).json();
    expect(items.filter((item: { suggested: boolean }) => item.suggested).map((item: { recipient: string }) => item.recipient)).toEqual(['stripe', 'shopify', 'paypal']);
  });
});
