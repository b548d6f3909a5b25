import { randomBytes } from 'node:crypto';
import type { TestClient } from './test-app.ts';

/** An instant some hours from now (negative: in the past), as the API takes it. */
export const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();

/** A valid schedule body for a 组织生活会 two days ahead; tests override what they are about. */
export function meetingBody(overrides: Record<string, unknown> = {}) {
  return {
    type: 'orgLifeMeeting',
    title: '2026年度组织生活会',
    theme: '学习贯彻党的创新理论',
    startsAt: hoursFromNow(48),
    endsAt: hoursFromNow(50),
    location: '党员活动室',
    ...overrides,
  };
}

/** Schedules a meeting through the API and returns its id (throws on anything but 201). */
export async function scheduleMeeting(
  client: TestClient,
  organizationId: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const response = await client.post(`/api/organizations/${organizationId}/meetings`, meetingBody(overrides));
  if (response.status !== 201) throw new Error(`scheduling failed: ${response.status} ${response.raw}`);
  return response.body.id;
}

export type MultipartPart =
  | { name: string; value: string }
  | { name: string; fileName: string; data: Buffer; contentType?: string };

/** A multipart/form-data request body, as a browser's FormData would send it. */
export function multipart(parts: MultipartPart[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----mj${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      'fileName' in part
        ? `form-data; name="${part.name}"; filename="${part.fileName}"\r\nContent-Type: ${part.contentType ?? 'application/octet-stream'}`
        : `form-data; name="${part.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`));
    chunks.push('fileName' in part ? part.data : Buffer.from(part.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
