// A recipient's own deadline becomes a reminder where no respond-by date covers it: Coupang's 168
// business hours from the goods' arrival, Amazon's 72 hours from the claim, like respond-by reminders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startServer, type TestServer } from '../helpers/server';
import { makePacketCase, type PacketCase } from './packet-case';

const media = { photos: [fixture('photo.png')], video: fixture('clip.mp4') };

describe('recipient deadlines as reminders', () => {
  let server: TestServer;
  let now = new Date('2026-11-25T01:00:00Z');
  let coupang: PacketCase;
  let amazon: PacketCase;
  let dated: PacketCase;

  const reminders = async (token: string) =>
    ((await (await server.request('GET', '/api/v1/reminders', { token })).json()) as { items: { disputeId: string; deadline: string; recipient?: string; kind: string; respondBy: string }[] }).items;

  beforeAll(async () => {
    server = await startServer({}, { clock: () => now });
    // Delivered on a Sunday evening in Seoul: the business hours start on Monday.
    coupang = await makePacketCase(server, media, { orderId: 'CPG-1', counterparty: 'marketplace', channel: 'coupang_wing', respondBy: null });
    const shop = { seller: coupang.seller, packer: coupang.packer };
    amazon = await makePacketCase(server, media, { orderId: 'AMZ-1', counterparty: 'marketplace', channel: 'amazon', respondBy: null, shop });
    dated = await makePacketCase(server, media, { orderId: 'CPG-2', counterparty: 'marketplace', channel: 'coupang_wing', shop });
  });
  afterAll(() => server.close());

  it('gives the listing the deadline each rule works out, and says what it was counted from', async () => {
    const { items } = await (await server.request('GET', `/api/v1/disputes/${coupang.disputeId}/packets`, { token: coupang.seller })).json();
    const listed = items.find((item: { recipient: string }) => item.recipient === 'coupang');
    // Monday 2026-11-23 00:00 KST + 7 weekdays = Wednesday 2026-12-02 00:00 KST.
    expect(listed.deadline).toMatchObject({ at: '2026-12-01T15:00:00.000Z', basis: 'Counted from the delivery date on the order: 2026-11-22 18:30:00 KST.' });
    const amazonItems = (await (await server.request('GET', `/api/v1/disputes/${amazon.disputeId}/packets`, { token: amazon.seller })).json()).items;
    expect(amazonItems[0]).toMatchObject({ recipient: 'amazon', suggested: true, deadline: { at: '2026-11-28T01:00:00.000Z' } });
  });

  it('raises them within 48 hours and once overdue, only where no respond-by date is entered', async () => {
    expect((await reminders(coupang.seller)).filter((item) => item.deadline === 'recipient')).toEqual([]);
    now = new Date('2026-11-26T12:00:00Z');
    let raised = (await reminders(coupang.seller)).filter((item) => item.deadline === 'recipient');
    expect(raised).toEqual([expect.objectContaining({ disputeId: amazon.disputeId, recipient: 'amazon', kind: 'due_soon', respondBy: '2026-11-28T01:00:00.000Z' })]);
    now = new Date('2026-12-01T00:00:00Z');
    raised = (await reminders(coupang.seller)).filter((item) => item.deadline === 'recipient');
    expect(raised.map((item) => [item.recipient, item.kind])).toEqual([['amazon', 'overdue'], ['coupang', 'due_soon']]);
    expect(raised.some((item) => item.disputeId === dated.disputeId)).toBe(false);
    // Entering the date the recipient gave replaces the rule's.
    await server.request('PATCH', `/api/v1/disputes/${amazon.disputeId}`, { token: amazon.seller, json: { respondBy: '2026-12-10T00:00:00.000Z' } });
    raised = (await reminders(coupang.seller)).filter((item) => item.deadline === 'recipient');
    expect(raised.map((item) => item.recipient)).toEqual(['coupang']);
  });
});
