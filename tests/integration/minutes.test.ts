import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditedSince, auditMark } from '../support/audit.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { insertMember, type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import { multipart, scheduleMeeting } from '../support/meetings.ts';
import { startTestApp, type TestApp, type TestClient } from '../support/test-app.ts';

/** The smallest files each accepted kind can be recognised by (their first bytes). */
const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

function minutesBody(content: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    recordingMethod: 'summary',
    custodianMemberId: null,
    content: {
      agendaItems: ['书记报告工作', '表决整改清单'],
      reports: ['张书记通报全年工作和上年整改落实情况'],
      speeches: [],
      votes: [],
      resolutions: ['通过支部整改清单'],
      closingSummary: '',
      ...content,
    },
    ...extra,
  };
}

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: minutes`, () => {
    let t: TestApp;
    let w: SeededCommittee;
    let secretary: TestClient;
    let recorder: TestClient;
    let plainMember: TestClient;
    let viewer: TestClient;
    let admin: TestClient;
    let outsider: TestClient;

    beforeAll(async () => {
      t = await startTestApp(variant);
      w = await seedCommittee(t.db, 4);
      secretary = await t.client().signIn('secA');
      recorder = await t.client().signIn('memberA1');
      plainMember = await t.client().signIn('memberA3');
      viewer = await t.client().signIn('viewer');
      admin = await t.client().signIn('admin');
      outsider = await t.client().signIn('secB');
    });
    afterAll(() => t.close());

    /** A 党员大会 hosted by the secretary and recorded by 党员甲1, with one guest observer. */
    const newMeeting = (overrides: Record<string, unknown> = {}) =>
      scheduleMeeting(secretary, w.branchA.id, {
        type: 'branchGeneralMeeting',
        title: '2031年第一次支部党员大会',
        sessionNo: 1,
        startsAt: '2031-03-01T01:00:00Z',
        endsAt: '2031-03-01T03:00:00Z',
        hostMemberId: w.secretaryA.memberId,
        recorderMemberId: w.membersA[0]!.memberId,
        observers: [{ name: '王群众', affiliation: '社区居民代表' }],
        ...overrides,
      });

    /** Marks every invitee present except one, absent without leave. */
    const markEveryone = async (meetingId: string, absentMemberId: string) => {
      const url = `/api/meetings/${meetingId}/attendance`;
      const { attendees } = (await secretary.get(url)).body as { attendees: Array<{ memberId: string }> };
      const response = await secretary.put(url, {
        entries: attendees.map(({ memberId }) =>
          memberId === absentMemberId
            ? { memberId, status: 'absent', note: '外出未请假' }
            : { memberId, status: 'present' },
        ),
      });
      expect(response.status).toBe(200);
    };

    it('is written by the recorder, signed by host and recorder, then locked with the record frozen', async () => {
      const mark = await auditMark(t.db);
      const id = await newMeeting();
      const url = `/api/meetings/${id}/minutes`;
      const empty = (await recorder.get(url)).body;
      expect(empty).toMatchObject({
        meetingAgenda: [],
        frozen: false,
        lockedAt: null,
        updatedAt: null,
        me: { canEdit: true, canSignAsHost: false, canSignAsRecorder: true },
        record: {
          title: '2031年第一次支部党员大会',
          host: { name: '张书记' },
          recorder: { name: '党员甲1' },
        },
      });

      const written = await recorder.put(
        url,
        minutesBody(
          {
            speeches: [
              { speakerMemberId: w.secretaryA.memberId, summary: '带头开展自我批评' },
              { speakerName: '王群众', summary: '希望多听群众意见' },
            ],
            votes: [{ item: '支部整改清单', yes: 4, no: 0, abstain: 1 }],
          },
          { custodianMemberId: w.membersA[1]!.memberId },
        ),
      );
      expect(written.status).toBe(200);
      expect(written.body.content.speeches[0]).toEqual({
        speakerMemberId: w.secretaryA.memberId,
        speakerName: '张书记',
        summary: '带头开展自我批评',
      });
      expect(written.body).toMatchObject({ custodian: { name: '党员甲2' }, updatedByName: '党员甲1' });

      const notHeld = await secretary.post(`${url}/sign`, { as: 'host' });
      expect(notHeld.status).toBe(409);
      expect(notHeld.body.code).toBe('minutes.meetingNotHeld');
      await secretary.post(`/api/meetings/${id}/status`, { status: 'held' });
      const notTheHost = await recorder.post(`${url}/sign`, { as: 'host' });
      expect(notTheHost.status).toBe(403);
      expect(notTheHost.body.code).toBe('minutes.notSigner');
      const unmarked = await secretary.post(`${url}/sign`, { as: 'host' });
      expect(unmarked.body.code).toBe('minutes.attendanceIncomplete');

      await markEveryone(id, w.membersA[3]!.memberId);
      const view = (await secretary.get(url)).body;
      // Five full members expected to vote, four present: 4 yes is more than half of five.
      expect(view.record).toMatchObject({
        expectedCount: 6,
        presentCount: 5,
        votingExpected: 5,
        votingPresent: 4,
      });
      expect(view.voteResults).toEqual([{ cast: 5, passed: true, exceedsPresent: true, quorumMet: true }]);
      const tooManyBallots = await secretary.post(`${url}/sign`, { as: 'host' });
      expect(tooManyBallots.body.code).toBe('minutes.votesExceedPresent');
      const fixedVotes = minutesBody(
        {
          speeches: written.body.content.speeches,
          votes: [{ item: '支部整改清单', yes: 3, no: 1, abstain: 0 }],
        },
        { custodianMemberId: w.membersA[1]!.memberId },
      );
      expect((await recorder.put(url, fixedVotes)).body.voteResults).toEqual([
        { cast: 4, passed: true, exceedsPresent: false, quorumMet: true },
      ]);

      const hostSigned = await secretary.post(`${url}/sign`, { as: 'host' });
      expect(hostSigned.status).toBe(200);
      expect(hostSigned.body.signatures.host).toMatchObject({ signedByName: '张书记' });
      expect(hostSigned.body.lockedAt).toBeNull();
      expect((await secretary.post(`${url}/sign`, { as: 'host' })).body.code).toBe('minutes.alreadySigned');

      // Changing the record after a signature asks for the signature again.
      const changed = await recorder.put(url, {
        ...fixedVotes,
        content: { ...fixedVotes.content, closingSummary: '会议达到预期目的' },
      });
      expect(changed.body.signatures.host).toBeNull();
      await secretary.post(`${url}/sign`, { as: 'host' });
      const locked = await recorder.post(`${url}/sign`, { as: 'recorder' });
      expect(locked.status).toBe(200);
      expect(locked.body.lockedAt).toBeTruthy();
      expect(locked.body).toMatchObject({
        frozen: true,
        signatures: { host: { signedByName: '张书记' }, recorder: { signedByName: '党员甲1' } },
        me: { canSignAsHost: false, canSignAsRecorder: false },
        record: {
          expectedCount: 6,
          presentCount: 5,
          quorum: { rule: 'majorityOfFullMembers', required: 3, met: true },
          absentees: [
            {
              memberId: w.membersA[3]!.memberId,
              name: '党员甲4',
              status: 'absent',
              reason: '外出未请假',
              excused: false,
            },
          ],
          observers: [{ name: '王群众', affiliation: '社区居民代表' }],
        },
      });
      const stored = await t.db
        .selectFrom('minutes')
        .select(['snapshot', 'locked_at'])
        .where('meeting_id', '=', id)
        .executeTakeFirstOrThrow();
      expect(stored.snapshot).toMatchObject({ title: '2031年第一次支部党员大会', presentCount: 5 });

      // The frozen record survives roster edits; the meeting can no longer be edited or signed.
      await t.db
        .updateTable('members')
        .set({ full_name: '改名后的党员甲1' })
        .where('id', '=', w.membersA[0]!.memberId)
        .execute();
      expect((await secretary.get(url)).body.record.recorder.name).toBe('党员甲1');
      await t.db
        .updateTable('members')
        .set({ full_name: '党员甲1' })
        .where('id', '=', w.membersA[0]!.memberId)
        .execute();
      const editMeeting = await secretary.patch(`/api/meetings/${id}`, { location: '别处' });
      expect(editMeeting.status).toBe(409);
      expect(editMeeting.body.code).toBe('meeting.minutesLocked');
      expect((await recorder.post(`${url}/sign`, { as: 'recorder' })).body.code).toBe('minutes.locked');

      // After the lock a change needs a reason and is kept as an amendment, field by field.
      const amendedBody = {
        ...fixedVotes,
        content: {
          ...fixedVotes.content,
          closingSummary: '会议达到预期目的',
          resolutions: ['通过支部整改清单（共5项）', '报上级党委备案'],
        },
      };
      const withoutReason = await recorder.put(url, amendedBody);
      expect(withoutReason.status).toBe(400);
      expect(withoutReason.body).toMatchObject({
        code: 'minutes.reasonRequired',
        fields: { reason: 'required' },
      });
      expect((await recorder.get(url)).body.content.resolutions).toEqual(['通过支部整改清单']);
      const amended = await recorder.put(url, { ...amendedBody, reason: '补记决议项数和报备事项' });
      expect(amended.status).toBe(200);
      expect(amended.body.content.resolutions).toEqual(['通过支部整改清单（共5项）', '报上级党委备案']);
      expect(amended.body.amendments).toEqual([
        {
          id: expect.any(String),
          amendedAt: expect.any(String),
          amendedByName: '党员甲1',
          reason: '补记决议项数和报备事项',
          changes: [
            { field: 'resolutions.0', before: '通过支部整改清单', after: '通过支部整改清单（共5项）' },
            { field: 'resolutions.1', before: null, after: '报上级党委备案' },
          ],
        },
      ]);
      const again = await recorder.put(url, { ...amendedBody, reason: '再保存一次' });
      expect(again.body.code).toBe('minutes.nothingChanged');

      // Attendance after the lock is an amendment too, and the frozen figures follow it.
      const attendanceUrl = `/api/meetings/${id}/attendance`;
      const late = {
        entries: [{ memberId: w.membersA[3]!.memberId, status: 'present', note: '会议中途到会' }],
      };
      expect((await secretary.put(attendanceUrl, late)).body.fields).toEqual({ reason: 'required' });
      expect((await secretary.put(attendanceUrl, { ...late, reason: '核对签到表后更正' })).status).toBe(200);
      const corrected = (await secretary.get(url)).body;
      expect(corrected.record).toMatchObject({ presentCount: 6, absentees: [] });
      expect(corrected.amendments[1]).toMatchObject({
        reason: '核对签到表后更正',
        amendedByName: '张书记',
        changes: [
          {
            field: 'attendance.党员甲4',
            before: { status: 'absent', note: '外出未请假' },
            after: { status: 'present', note: '会议中途到会' },
          },
          { field: 'presentCount', before: 5, after: 6 },
        ],
      });

      // A leave decision can no longer change the record.
      const leave = await t.db
        .insertInto('leave_requests')
        .values({ meeting_id: id, member_id: w.probationaryA.memberId, reason: '补请假' })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect(
        (await secretary.post(`/api/leave-requests/${leave.id}/decision`, { decision: 'approved' })).body
          .code,
      ).toBe('minutes.locked');

      // Everything the printable page shows, for a reader with minutes.view.
      const printable = (await viewer.get(url)).body;
      expect(printable).toMatchObject({
        organizationName: '第一党支部',
        record: {
          title: '2031年第一次支部党员大会',
          sessionNo: 1,
          type: 'branchGeneralMeeting',
          startsAt: '2031-03-01T01:00:00.000Z',
          endsAt: '2031-03-01T03:00:00.000Z',
          mode: 'inPerson',
          host: { name: '张书记' },
          recorder: { name: '党员甲1' },
        },
        recordingMethod: 'summary',
        custodian: { name: '党员甲2' },
        content: {
          agendaItems: ['书记报告工作', '表决整改清单'],
          reports: ['张书记通报全年工作和上年整改落实情况'],
          speeches: [{ speakerName: '张书记' }, { speakerName: '王群众' }],
          votes: [{ item: '支部整改清单', yes: 3, no: 1, abstain: 0 }],
          closingSummary: '会议达到预期目的',
        },
        signatures: { host: { signedAt: expect.any(String) }, recorder: { signedAt: expect.any(String) } },
        me: { canEdit: false },
      });
      expect(printable.amendments).toHaveLength(2);

      // The audit trail: sign-offs, the lock and amendments by field name, never the minutes' text.
      const trail = await auditedSince(admin, w.branchA.id, mark);
      expect(trail.map((e) => [e.action, e.actorLabel, e.details])).toEqual([
        ['meeting.scheduled', '张书记', { type: 'branchGeneralMeeting' }],
        ['meeting.statusChanged', '张书记', { from: 'scheduled', to: 'held' }],
        ['attendance.marked', '张书记', { changed: 6 }],
        ['minutes.signed', '张书记', { as: 'host' }],
        ['minutes.signed', '张书记', { as: 'host' }],
        ['minutes.signed', '党员甲1', { as: 'recorder' }],
        ['minutes.locked', '党员甲1', {}],
        ['minutes.amended', '党员甲1', { fields: 'resolutions' }],
        ['attendance.marked', '张书记', { changed: 1 }],
        ['minutes.amended', '张书记', { fields: 'attendance,presentCount' }],
      ]);
      expect(JSON.stringify(trail)).not.toMatch(/整改清单|补记|党员甲4|核对签到表/);
    });

    it('needs the signer’s own linked account', async () => {
      const noAccount = await insertMember(t.db, w.branchA.id, '未开通账号党员');
      const id = await newMeeting({ recorderMemberId: noAccount.memberId });
      await secretary.post(`/api/meetings/${id}/status`, { status: 'held' });
      const view = (await secretary.get(`/api/meetings/${id}/minutes`)).body;
      expect(view.signers).toEqual({ hostHasAccount: true, recorderHasAccount: false });
      const refused = await secretary.post(`/api/meetings/${id}/minutes/sign`, { as: 'recorder' });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('minutes.signerHasNoAccount');
      const noHost = await newMeeting({ hostMemberId: null });
      expect((await secretary.post(`/api/meetings/${noHost}/minutes/sign`, { as: 'host' })).body.code).toBe(
        'minutes.signerNotSet',
      );
    });

    it('refuses bad minutes with per-field codes and keeps what was there', async () => {
      const id = await newMeeting();
      const url = `/api/meetings/${id}/minutes`;
      await recorder.put(url, minutesBody());
      const cases: Array<[unknown, Record<string, string>]> = [
        [
          minutesBody({ speeches: [{ summary: '没有发言人' }] }),
          { 'content.speeches.0.speakerName': 'required' },
        ],
        [
          minutesBody({ speeches: [{ speakerMemberId: w.memberB.memberId, summary: '别的支部的人' }] }),
          { 'content.speeches.0.speakerMemberId': 'notAttendee' },
        ],
        [
          minutesBody({ votes: [{ item: '表决', yes: -1, no: 0, abstain: 0 }] }),
          { 'content.votes.0.yes': 'tooSmall' },
        ],
        [minutesBody({}, { custodianMemberId: w.memberB.memberId }), { custodianMemberId: 'notInRoster' }],
        [minutesBody({}, { recordingMethod: 'shorthand' }), { recordingMethod: 'invalidOption' }],
        [minutesBody({ extra: 1 }), { 'content.extra': 'unknownField' }],
      ];
      for (const [body, fields] of cases) {
        const response = await recorder.put(url, body);
        expect(response.status, JSON.stringify(fields)).toBe(400);
        expect(response.body.fields).toEqual(fields);
      }
      expect((await recorder.get(url)).body.content).toEqual(minutesBody().content);
    });

    it('files attachments up to 10 MB of the accepted kinds, and downloads them as they were', async () => {
      const mark = await auditMark(t.db);
      const id = await newMeeting();
      const url = `/api/meetings/${id}/minutes/attachments`;
      const upload = (client: TestClient, parts: Parameters<typeof multipart>[0]) => {
        const { payload, headers } = multipart(parts);
        return client.request('POST', url, payload, headers);
      };
      const stored = async () =>
        (
          await t.db
            .selectFrom('minutes_attachments')
            .select('file_name')
            .where('meeting_id', '=', id)
            .execute()
        ).map((r) => r.file_name);

      const created = await upload(recorder, [
        { name: 'file', fileName: '签到表.pdf', data: pdf, contentType: 'application/pdf' },
      ]);
      expect(created.status).toBe(201);
      const photo = await upload(secretary, [{ name: 'file', fileName: 'C:\\照片\\会场.PNG', data: png }]);
      expect(photo.status).toBe(201);

      const download = await viewer.get(`${url}/${created.body.id}`);
      expect(download.status).toBe(200);
      expect(download.headers['content-type']).toBe('application/pdf');
      expect(download.headers['content-disposition']).toBe(
        `attachment; filename="___.pdf"; filename*=UTF-8''${encodeURIComponent('签到表.pdf')}`,
      );
      const binary = await t.app.inject({
        method: 'GET',
        url: `${url}/${photo.body.id}`,
        headers: { cookie: viewer.cookieHeader() },
      });
      expect(binary.headers['content-type']).toBe('image/png');
      expect(binary.rawPayload.equals(png)).toBe(true);
      const listed = (await viewer.get(`/api/meetings/${id}/minutes`)).body.attachments;
      expect(listed).toEqual([
        expect.objectContaining({
          fileName: '签到表.pdf',
          contentType: 'application/pdf',
          sizeBytes: pdf.length,
          uploadedByName: '党员甲1',
        }),
        expect.objectContaining({ fileName: '会场.PNG', contentType: 'image/png' }),
      ]);

      const disguised = await upload(recorder, [
        { name: 'file', fileName: '材料.pdf', data: Buffer.from('MZ not a pdf') },
      ]);
      expect(disguised.status).toBe(400);
      expect(disguised.body).toMatchObject({ code: 'minutes.attachmentType', fields: { file: 'fileType' } });
      const program = await upload(recorder, [{ name: 'file', fileName: 'setup.exe', data: pdf }]);
      expect(program.body.fields).toEqual({ file: 'fileType' });
      const noFile = await upload(recorder, [{ name: 'reason', value: '说明' }]);
      expect(noFile.body.fields).toEqual({ file: 'required' });
      const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20);
      pdf.copy(big);
      const tooBig = await upload(recorder, [{ name: 'file', fileName: '录音整理.pdf', data: big }]);
      expect(tooBig.status).toBe(413);
      expect(tooBig.body.code).toBe('request.tooLarge');
      const json = await recorder.post(url, { file: 'x' });
      expect(json.status).toBe(415);
      expect(await stored()).toEqual(['签到表.pdf', '会场.PNG']);

      expect((await upload(plainMember, [{ name: 'file', fileName: 'a.pdf', data: pdf }])).status).toBe(403);
      expect((await upload(viewer, [{ name: 'file', fileName: 'a.pdf', data: pdf }])).status).toBe(403);
      expect((await upload(outsider, [{ name: 'file', fileName: 'a.pdf', data: pdf }])).status).toBe(404);
      expect((await plainMember.get(`${url}/${created.body.id}`)).status).toBe(403);
      expect((await outsider.get(`${url}/${created.body.id}`)).status).toBe(404);
      expect((await viewer.delete(`${url}/${photo.body.id}`)).status).toBe(403);
      expect((await outsider.delete(`${url}/${photo.body.id}`)).status).toBe(404);
      // An attachment of another meeting is not reachable through this one.
      const other = await newMeeting();
      expect((await viewer.get(`/api/meetings/${other}/minutes/attachments/${created.body.id}`)).status).toBe(
        404,
      );

      expect((await recorder.delete(`${url}/${photo.body.id}`)).status).toBe(200);
      expect(await stored()).toEqual(['签到表.pdf']);

      // Once locked, adding or removing a file needs a reason and is kept as an amendment.
      await secretary.post(`/api/meetings/${id}/status`, { status: 'held' });
      await markEveryone(id, w.membersA[3]!.memberId);
      await secretary.post(`/api/meetings/${id}/minutes/sign`, { as: 'host' });
      expect(
        (await recorder.post(`/api/meetings/${id}/minutes/sign`, { as: 'recorder' })).body.lockedAt,
      ).toBeTruthy();
      const lockedUpload = await upload(recorder, [{ name: 'file', fileName: '补充材料.pdf', data: pdf }]);
      expect(lockedUpload.body).toMatchObject({
        code: 'minutes.reasonRequired',
        fields: { reason: 'required' },
      });
      const withReason = await upload(recorder, [
        { name: 'reason', value: '补交会议材料' },
        { name: 'file', fileName: '补充材料.pdf', data: pdf },
      ]);
      expect(withReason.status).toBe(201);
      expect((await recorder.delete(`${url}/${created.body.id}`)).body.fields).toEqual({
        reason: 'required',
      });
      expect(
        (await recorder.delete(`${url}/${created.body.id}?reason=${encodeURIComponent('重复上传')}`)).status,
      ).toBe(200);
      const history = (await viewer.get(`/api/meetings/${id}/minutes`)).body.amendments;
      expect(history.map((a: { reason: string; changes: unknown }) => [a.reason, a.changes])).toEqual([
        ['补交会议材料', [{ field: 'attachments', before: null, after: '补充材料.pdf' }]],
        ['重复上传', [{ field: 'attachments', before: '签到表.pdf', after: null }]],
      ]);
      const amendments = (await auditedSince(admin, w.branchA.id, mark)).filter(
        (e) => e.action === 'minutes.amended',
      );
      expect(amendments.map((e) => [e.actorLabel, e.details])).toEqual([
        ['党员甲1', { fields: 'attachments' }],
        ['党员甲1', { fields: 'attachments' }],
      ]);
    });
  });
}
