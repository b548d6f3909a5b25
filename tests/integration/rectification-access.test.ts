import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import { dayFromToday, insertMeeting, postEvidenceForm } from '../support/rectification-fixtures.ts';
import { startTestApp, type TestApp, type TestClient } from '../support/test-app.ts';

/**
 * Who reaches which rectification route. Every route is tried by someone from another branch (404,
 * never a hint the record exists), by read-only roles (403 on changes), by a plain member (only their
 * own items) and signed out (401).
 */
for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: rectification scoping`, () => {
    let t: TestApp;
    let w: SeededCommittee;
    let secA: TestClient;
    let problemId: string;
    let itemId: string;
    let othersItemId: string;
    let evidenceId: string;
    let attachmentId: string;
    let laterMeeting: string;

    beforeAll(async () => {
      t = await startTestApp(variant);
      w = await seedCommittee(t.db, 2);
      const meeting = await insertMeeting(t.db, w.branchA.id, '组织生活会', new Date('2026-01-10T06:00:00Z'));
      laterMeeting = await insertMeeting(t.db, w.branchA.id, '党员大会', new Date('2026-04-10T06:00:00Z'));
      secA = await t.client().signIn('secA');
      const created = await secA.post(`/api/organizations/${w.branchA.id}/problems`, {
        scope: 'member',
        subjectMemberId: w.membersA[0]!.memberId,
        description: '发挥先锋模范作用不够',
        source: 'masses',
        meetingId: meeting,
        item: {
          measures: '主动承担志愿服务',
          ownerMemberId: w.membersA[0]!.memberId,
          dueOn: dayFromToday(10),
        },
      });
      problemId = created.body.id;
      itemId = created.body.itemId;
      othersItemId = (
        await secA.post(`/api/problems/${problemId}/items`, {
          measures: '结对帮扶',
          ownerMemberId: w.membersA[1]!.memberId,
          dueOn: dayFromToday(-2),
        })
      ).body.id;
      const owner = await t.client().signIn('memberA1');
      evidenceId = (
        await owner.post(`/api/rectification/items/${itemId}/evidence`, { description: '服务记录' })
      ).body.id;
      const upload = await postEvidenceForm(owner, itemId, [
        { name: 'description', value: '照片' },
        { name: 'file', filename: 'a.txt', type: 'text/plain', data: Buffer.from('hello') },
      ]);
      expect(upload.status, upload.raw).toBe(201);
      const detail = await secA.get(`/api/rectification/items/${itemId}`);
      attachmentId = detail.body.evidence.find((e: any) => e.file).file.id;
    });
    afterAll(() => t.close());

    /** Every route of the feature with a valid body, so only the caller decides the answer. */
    const routes = () => {
      const problem = {
        scope: 'branch',
        description: '新问题',
        source: 'self',
      };
      const item = { measures: '新措施', ownerUnit: '支委会' };
      return {
        listProblems: ['GET', `/api/organizations/${w.branchA.id}/problems`],
        createProblem: ['POST', `/api/organizations/${w.branchA.id}/problems`, problem],
        updateProblem: [
          'PUT',
          `/api/problems/${problemId}`,
          {
            scope: 'member',
            subjectMemberId: w.membersA[0]!.memberId,
            description: '发挥先锋模范作用不够',
            source: 'masses',
          },
        ],
        deleteProblem: ['DELETE', `/api/problems/${problemId}`],
        addItem: ['POST', `/api/problems/${problemId}/items`, item],
        listItems: ['GET', `/api/organizations/${w.branchA.id}/rectification/items`],
        options: ['GET', `/api/organizations/${w.branchA.id}/rectification/options`],
        publish: [
          'POST',
          `/api/organizations/${w.branchA.id}/rectification/publish`,
          { itemIds: [itemId], scope: 'branch' },
        ],
        detail: ['GET', `/api/rectification/items/${itemId}`],
        updateItem: [
          'PUT',
          `/api/rectification/items/${itemId}`,
          { ...item, ownerMemberId: w.membersA[0]!.memberId },
        ],
        action: ['POST', `/api/rectification/items/${itemId}/actions`, { action: 'start' }],
        review: ['PUT', `/api/rectification/items/${itemId}/review`, { meetingId: laterMeeting }],
        addEvidence: ['POST', `/api/rectification/items/${itemId}/evidence`, { description: '材料' }],
        removeEvidence: ['DELETE', `/api/rectification/items/${itemId}/evidence/${evidenceId}`],
        attachment: ['GET', `/api/rectification/attachments/${attachmentId}`],
      } as Record<string, [string, string, unknown?]>;
    };

    async function statuses(client: TestClient) {
      const out: Record<string, number> = {};
      for (const [name, [method, url, body]] of Object.entries(routes()))
        out[name] = (await client.request(method as 'GET', url, body)).status;
      return out;
    }

    async function snapshot() {
      const [problems, items, events] = await Promise.all([
        t.db.selectFrom('problems').selectAll().orderBy('id').execute(),
        t.db.selectFrom('rectification_items').selectAll().orderBy('id').execute(),
        t.db.selectFrom('rectification_events').select('id').orderBy('id').execute(),
      ]);
      return JSON.stringify({ problems, items, events });
    }

    const everyRoute = (status: number) => Object.fromEntries(Object.keys(routes()).map((k) => [k, status]));

    it('answers 404 on every route to another branch, sibling or unrelated, and changes nothing', async () => {
      const before = await snapshot();
      for (const login of ['secB', 'memberB', 'otherviewer']) {
        const client = await t.client().signIn(login);
        expect(await statuses(client), login).toEqual(everyRoute(404));
      }
      expect(await snapshot()).toBe(before);
    });

    it('lets a committee viewer and an administrator read but not change anything', async () => {
      const before = await snapshot();
      for (const login of ['viewer', 'admin']) {
        const client = await t.client().signIn(login);
        expect(await statuses(client), login).toEqual({
          ...everyRoute(403),
          listProblems: 200,
          listItems: 200,
          options: 200,
          detail: 200,
          attachment: 200,
        });
        // Refused before the upload is read: even a malformed one answers 403, not a field error.
        const upload = await postEvidenceForm(client, itemId, [
          { name: 'file', filename: 'x.html', type: 'text/html', data: Buffer.from('<p>') },
        ]);
        expect(upload.status, login).toBe(403);
      }
      expect(await snapshot()).toBe(before);
    });

    it('shows a plain member only their own items, which they may move forward and document', async () => {
      const owner = await t.client().signIn('memberA1');
      const mine = await owner.get('/api/me/rectification');
      expect(mine.body.items.map((i: any) => i.id)).toEqual([itemId]);
      expect(mine.body.items[0]).toMatchObject({
        organization: { id: w.branchA.id, name: '第一党支部' },
        problem: { description: '发挥先锋模范作用不够' },
        owner: { name: '党员甲1' },
      });
      expect((await owner.get(`/api/rectification/items/${othersItemId}`)).status).toBe(403);
      expect(
        (await owner.post(`/api/rectification/items/${othersItemId}/actions`, { action: 'start' })).status,
      ).toBe(403);
      const before = await snapshot();
      const result = await statuses(owner);
      expect(result).toEqual({
        ...everyRoute(403),
        detail: 200,
        attachment: 200,
        action: 200,
        addEvidence: 201,
        removeEvidence: 200,
      });
      expect(await snapshot()).not.toBe(before);

      // Another member of the same branch sees none of it, and has nothing of their own here.
      const probationary = await t.client().signIn('probA');
      expect((await probationary.get('/api/me/rectification')).body.items).toEqual([]);
      expect(await statuses(probationary)).toEqual(everyRoute(403));
      const member2 = await t.client().signIn('memberA2');
      expect((await member2.get('/api/me/rectification')).body.items.map((i: any) => i.id)).toEqual([
        othersItemId,
      ]);
      expect((await member2.get(`/api/rectification/items/${othersItemId}`)).body.effectiveStatus).toBe(
        'overdue',
      );
    });

    it('loses the owner rights when the owner leaves the branch', async () => {
      await t.db
        .updateTable('members')
        .set({ left_at: new Date() })
        .where('id', '=', w.membersA[1]!.memberId)
        .execute();
      const gone = await t.client().signIn('memberA2');
      expect((await gone.get('/api/me/rectification')).body.items).toEqual([]);
      expect((await gone.get(`/api/rectification/items/${othersItemId}`)).status).toBe(404);
    });

    it('asks a signed-out caller to sign in on every route', async () => {
      expect(await statuses(t.client())).toEqual(everyRoute(401));
      expect((await t.client().get('/api/me/rectification')).status).toBe(401);
    });

    it('answers 404 for ids that do not exist, and 400 for ids that are not ids', async () => {
      const missing = '00000000-0000-4000-8000-000000000000';
      expect((await secA.get(`/api/rectification/items/${missing}`)).status).toBe(404);
      expect((await secA.put(`/api/problems/${missing}`, routes().updateProblem[2])).status).toBe(404);
      expect((await secA.get(`/api/rectification/attachments/${missing}`)).status).toBe(404);
      expect((await secA.delete(`/api/rectification/items/${itemId}/evidence/${missing}`)).status).toBe(404);
      const notAnId = await secA.get('/api/rectification/items/42');
      expect(notAnId.status).toBe(400);
      expect(notAnId.body.fields).toEqual({ 'params.id': 'invalidFormat' });
    });
  });
}
