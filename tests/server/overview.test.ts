// The home page's figures, for a shop in Seoul (UTC+9): days are the shop's calendar days, so a
// capture at 00:30 in Seoul counts for that day although it is still the day before in UTC.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpShop, startServer, type TestServer } from '../helpers/server';

const NOW = new Date('2026-11-23T09:00:00Z'); // 18:00 on 23 November in Seoul

interface Overview {
  now: string;
  timezone: string;
  today: string;
  days: number;
  openDisputes: { total: number; items: { id: string; orderId: string; reason: string; counterparty: string; status: string; amount?: { value: number; currency: string }; respondBy?: string; overdue: boolean }[] };
  reminders: { disputeId: string; kind: string; respondBy: string; orderId: string; reason: string; counterparty: string }[];
  anyCaptures: boolean;
  todayByStation: { station: string | null; count: number }[];
  capturesPerDay: { date: string; count: number }[];
  weightWarnings: { days: number; total: number; items: { captureId: string; orderId: string; kind: string; station?: string; measuredGrams: number; expectedGrams: number; differenceGrams: number; verdict: string }[] };
  flaggedOrdersInProgress: { orderId: string; buyerRef: string; buyerName?: string; flagReason?: string; captureCount: number; lastCaptureAt: string }[];
  disputeOutcomes: { won: number; lost: number; recovered: { value: number; currency: string }[] };
}

describe('the home page overview', () => {
  let server: TestServer;
  let now = NOW;
  let seller: string;
  let owner: string;
  let packer: string;
  const disputeIds: Record<string, string> = {};

  const at = (iso: string) => {
    now = new Date(iso);
  };
  const capture = async (when: string, json: Record<string, unknown>) => {
    at(when);
    const response = await server.request('POST', '/api/v1/captures', { token: packer, json: { kind: 'packing', ...json } });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as { id: string };
  };
  const order = async (orderId: string, json: Record<string, unknown>) => {
    const response = await server.request('PUT', `/api/v1/orders/${orderId}`, { token: seller, json });
    expect(response.status).toBeLessThan(300);
  };
  const dispute = async (name: string, json: Record<string, unknown>, status?: string) => {
    const response = await server.request('POST', '/api/v1/disputes', { token: seller, json: { reason: 'item_missing', counterparty: 'marketplace', ...json } });
    expect(response.status, await response.clone().text()).toBe(201);
    const { id } = (await response.json()) as { id: string };
    if (status) expect((await server.request('PATCH', `/api/v1/disputes/${id}`, { token: seller, json: { status } })).status).toBe(200);
    disputeIds[name] = id;
  };
  const overview = async (query = '') => {
    at(NOW.toISOString());
    const response = await server.request('GET', `/api/v1/overview${query}`, { token: seller });
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as Overview;
  };

  beforeAll(async () => {
    server = await startServer({}, { clock: () => now });
    at('2026-11-01T00:00:00Z');
    const shop = await setUpShop(server, 'Asia/Seoul');
    owner = shop.ownerToken;
    seller = await shop.token('seller');
    packer = (await shop.deviceToken('Table 1 phone')).token;

    // Captures on both sides of Seoul's midnight, which is 15:00 the day before in UTC.
    await capture('2026-10-01T03:00:00Z', { orderId: 'OLD-1', station: 'Table 1' }); // before the 30 days
    await capture('2026-11-20T03:00:00Z', { orderId: 'A-1' }); // 20 Nov, no station
    await capture('2026-11-22T14:30:00Z', { orderId: 'A-2', station: 'Table 1' }); // 22 Nov 23:30 in Seoul
    await capture('2026-11-22T15:30:00Z', { orderId: 'A-3', station: 'Table 1' }); // 23 Nov 00:30 in Seoul
    await capture('2026-11-23T08:00:00Z', { orderId: 'A-4', station: 'Table 2' }); // 23 Nov 17:00 in Seoul

    // Four dozen napkins of 570 g each: 2,280 g expected, 5 % either way allowed.
    await order('W-1', { items: [{ name: 'Napkins', quantity: 4, unitWeightGrams: 570 }] });
    await order('W-2', { items: [{ name: 'Napkins', quantity: 4, unitWeightGrams: 570 }] });
    await order('W-3', { items: [{ name: 'Napkins', quantity: 4, unitWeightGrams: 570 }, { name: 'Card', quantity: 1 }] });
    await capture('2026-11-23T02:00:00Z', { orderId: 'W-1', station: 'Table 2', weight: { value: 1710, unit: 'g' } }); // one dozen short
    await capture('2026-11-23T02:10:00Z', { orderId: 'W-2', station: 'Table 2', weight: { value: 2.3, unit: 'kg' } }); // within 5 %
    await capture('2026-11-23T02:15:00Z', { orderId: 'W-2', station: 'Table 2', weight: { value: 2166, unit: 'g' } }); // exactly 5 % light: still fine
    await capture('2026-11-23T02:20:00Z', { orderId: 'W-3', station: 'Table 2', weight: { value: 900, unit: 'g' } }); // no expectation: one item unweighed
    await capture('2026-11-10T02:00:00Z', { orderId: 'W-1', kind: 'unboxing', weight: { value: 500, unit: 'g' } }); // older than a week

    // One flagged buyer's orders: on the table, handed over, shipped, and not captured yet.
    const flagged = { ref: 'buyer-77', name: '박서준', flagged: true, flagReason: 'Claims missing items' };
    await order('F-1', { buyer: flagged });
    await order('F-2', { buyer: { ref: 'buyer-77' } });
    await order('F-3', { buyer: { ref: 'buyer-77' }, shippedAt: '2026-11-22T10:00:00Z' });
    await order('F-4', { buyer: { ref: 'buyer-77' } });
    await order('N-1', { buyer: { ref: 'buyer-1', name: 'Calm Buyer' } });
    await capture('2026-11-22T01:00:00Z', { orderId: 'F-1' });
    await capture('2026-11-23T01:00:00Z', { orderId: 'F-1', note: 'second box' });
    await capture('2026-11-21T01:00:00Z', { orderId: 'F-2' });
    await capture('2026-11-21T02:00:00Z', { orderId: 'F-2', kind: 'handover' });
    await capture('2026-11-21T01:00:00Z', { orderId: 'F-3' });
    await capture('2026-11-21T01:00:00Z', { orderId: 'N-1' });

    // Disputes: open ones with and without deadlines, one answered, and decided ones with their amounts.
    at('2026-11-15T00:00:00Z');
    await dispute('overdue', { orderId: 'A-1', respondBy: '2026-11-22T00:00:00Z', amount: { value: 40, currency: 'USD' } });
    await dispute('soon', { orderId: 'A-2', reason: 'damaged', counterparty: 'courier', respondBy: '2026-11-24T03:00:00Z' });
    await dispute('later', { orderId: 'A-3', respondBy: '2026-12-10T00:00:00Z' });
    await dispute('noDeadline', { orderId: 'A-4' });
    await dispute('submitted', { orderId: 'W-1', respondBy: '2026-11-20T00:00:00Z' }, 'submitted');
    await dispute('wonUsd', { orderId: 'W-2', amount: { value: 12.5, currency: 'USD' } }, 'won');
    await dispute('wonUsd2', { orderId: 'W-2', amount: { value: 7.5, currency: 'USD' } }, 'won');
    await dispute('wonKrw', { orderId: 'W-3', amount: { value: 30000, currency: 'KRW' } }, 'won');
    await dispute('wonNoAmount', { orderId: 'W-3' }, 'won');
    await dispute('lost', { orderId: 'F-1', amount: { value: 99, currency: 'USD' } }, 'lost');
    await dispute('closed', { orderId: 'F-1', amount: { value: 5, currency: 'USD' } }, 'closed');
    at(NOW.toISOString());
    await server.app.runJob('dispute-deadline-reminders');
  });
  afterAll(() => server.close());

  it("counts captures per day of the shop's calendar, zero-filled, today last", async () => {
    const answer = await overview();
    expect(answer).toMatchObject({ now: NOW.toISOString(), timezone: 'Asia/Seoul', today: '2026-11-23', days: 30, anyCaptures: true });
    expect(answer.capturesPerDay).toHaveLength(30);
    expect(answer.capturesPerDay[0].date).toBe('2026-10-25');
    expect(answer.capturesPerDay.at(-1)!.date).toBe('2026-11-23');
    const byDate = Object.fromEntries(answer.capturesPerDay.map((day) => [day.date, day.count]));
    // 22 Nov in Seoul: A-2 at 23:30 and F-1 at 10:00; 14:30 and 15:30 UTC fall on two different Seoul days.
    expect(byDate['2026-11-22']).toBe(2);
    expect(byDate['2026-11-23']).toBe(7); // A-3 (00:30), A-4, W-1, W-2 twice, W-3, F-1's second box
    expect(byDate['2026-11-21']).toBe(4); // F-2 twice, F-3, N-1
    expect(byDate['2026-11-20']).toBe(1);
    expect(byDate['2026-11-10']).toBe(1);
    expect(answer.capturesPerDay.reduce((sum, day) => sum + day.count, 0)).toBe(15); // all but October's
    expect(answer.capturesPerDay.filter((day) => day.count === 0)).toHaveLength(25);
  });

  it("counts today's captures per station, the one after Seoul's midnight included", async () => {
    const answer = await overview();
    expect(answer.todayByStation).toEqual([
      { station: 'Table 2', count: 5 },
      { station: null, count: 1 },
      { station: 'Table 1', count: 1 },
    ]);
  });

  it('lists open and submitted disputes soonest deadline first, overdue ones marked by the server clock', async () => {
    const { openDisputes } = await overview();
    expect(openDisputes.total).toBe(5);
    expect(openDisputes.items.map((item) => item.id)).toEqual(
      ['submitted', 'overdue', 'soon', 'later', 'noDeadline'].map((name) => disputeIds[name]),
    );
    const [submitted, overdue, soon, , none] = openDisputes.items;
    expect(overdue).toEqual({
      id: disputeIds.overdue, orderId: 'A-1', reason: 'item_missing', counterparty: 'marketplace', status: 'open',
      amount: { value: 40, currency: 'USD' }, respondBy: '2026-11-22T00:00:00.000Z', overdue: true,
    });
    // An answered dispute waits on the other side: its deadline has passed, but nothing is late.
    expect(submitted).toMatchObject({ status: 'submitted', overdue: false });
    expect(soon).toMatchObject({ orderId: 'A-2', reason: 'damaged', counterparty: 'courier', overdue: false });
    expect(none.respondBy).toBeUndefined();
    expect(none.overdue).toBe(false);
  });

  it('brings the deadline reminders along', async () => {
    const { reminders } = await overview();
    expect(reminders.map((reminder) => [reminder.disputeId, reminder.kind])).toEqual([
      [disputeIds.overdue, 'overdue'],
      [disputeIds.soon, 'due_soon'],
    ]);
    expect(reminders[1]).toMatchObject({ orderId: 'A-2', reason: 'damaged', counterparty: 'courier', respondBy: '2026-11-24T03:00:00.000Z' });
  });

  it("warns of this week's weights outside the tolerance of the order's expected weight", async () => {
    const { weightWarnings } = await overview();
    expect(weightWarnings.days).toBe(7);
    expect(weightWarnings.total).toBe(1);
    expect(weightWarnings.items).toEqual([
      expect.objectContaining({ orderId: 'W-1', kind: 'packing', station: 'Table 2', measuredGrams: 1710, expectedGrams: 2280, differenceGrams: -570, verdict: 'light' }),
    ]);
  });

  it("lists a flagged buyer's orders still on the packing table, not those handed over or shipped", async () => {
    const { flaggedOrdersInProgress } = await overview();
    expect(flaggedOrdersInProgress).toEqual([
      { orderId: 'F-1', buyerRef: 'buyer-77', buyerName: '박서준', flagReason: 'Claims missing items', captureCount: 2, lastCaptureAt: '2026-11-23T01:00:00.000Z' },
    ]);
  });

  it('counts disputes won and lost, and sums what the won ones recovered per currency', async () => {
    const { disputeOutcomes } = await overview();
    expect(disputeOutcomes).toEqual({
      won: 4,
      lost: 1,
      recovered: [
        { currency: 'KRW', value: 30000 },
        { currency: 'USD', value: 20 },
      ],
    });
  });

  it('takes a shorter window, and refuses a window of no days or more than ninety', async () => {
    const week = await overview('?days=7');
    expect(week.capturesPerDay.map((day) => day.date)).toEqual(['2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23']);
    for (const days of ['0', '91', 'many']) {
      const refused = await server.request('GET', `/api/v1/overview?days=${days}`, { token: seller });
      expect(refused.status).toBe(400);
      expect((await refused.json()).code).toBe('VALIDATION_FAILED');
    }
  });

  it('answers the owner and sellers, not packers or strangers', async () => {
    expect((await server.request('GET', '/api/v1/overview', { token: owner })).status).toBe(200);
    const asPacker = await server.request('GET', '/api/v1/overview', { token: packer });
    expect(asPacker.status).toBe(403);
    expect((await asPacker.json()).code).toBe('FORBIDDEN');
    expect((await server.request('GET', '/api/v1/overview')).status).toBe(401);
  });
});

describe("a new shop's overview", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({}, { clock: () => NOW });
  });
  afterAll(() => server.close());

  it('is all zeros and empty lists, with thirty days to draw', async () => {
    const shop = await setUpShop(server, 'America/New_York');
    const answer = await (await server.request('GET', '/api/v1/overview', { token: shop.ownerToken })).json();
    expect(answer).toMatchObject({
      today: '2026-11-23',
      anyCaptures: false,
      openDisputes: { total: 0, items: [] },
      reminders: [],
      todayByStation: [],
      weightWarnings: { total: 0, items: [] },
      flaggedOrdersInProgress: [],
      disputeOutcomes: { won: 0, lost: 0, recovered: [] },
    });
    expect(answer.capturesPerDay).toHaveLength(30);
    expect(answer.capturesPerDay.every((day: { count: number }) => day.count === 0)).toBe(true);
  });
});

describe("today's captures by where they were made", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({}, { clock: () => NOW });
  });
  afterAll(() => server.close());

  it('counts a seller’s "Add evidence" at the desk on its own, not as a station, and keeps a phone’s other captures at their station', async () => {
    const shop = await setUpShop(server, 'Asia/Seoul');
    const phone = (await shop.deviceToken('Table 1 phone')).token;
    const make = async (token: string, json: Record<string, unknown>) =>
      expect((await server.request('POST', '/api/v1/captures', { token, json: { orderId: 'D-1', ...json } })).status).toBe(201);
    await make(shop.ownerToken, { kind: 'other' }); // the dashboard's "Add evidence"
    await make(shop.ownerToken, { kind: 'other' });
    await make(phone, { kind: 'other', station: 'Table 1' }); // a packer's extra photo at the table
    await make(phone, { kind: 'packing' }); // a phone whose station was never set
    const answer = await (await server.request('GET', '/api/v1/overview', { token: shop.ownerToken })).json();
    expect(answer.todayAtDesk).toBe(2);
    expect(answer.todayByStation).toEqual([
      { station: null, count: 1 },
      { station: 'Table 1', count: 1 },
    ]);
    expect(answer.capturesPerDay.at(-1).count).toBe(4);
  });
});
