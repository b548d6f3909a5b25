import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../shared/i18n/index.ts';
import {
  clientMessage,
  closeCodes,
  liveEvent,
  maxFrameBytes,
  rateLimit,
  serverMessage,
} from '../../shared/schemas/live.ts';

/**
 * docs/protocol.md is the contract another client is written from: it must name every message type,
 * event kind, close code and error code the code knows, and every JSON example on it must be a valid
 * frame.
 */
const doc = readFileSync('docs/protocol.md', 'utf8');

/** The text of the `## N. Title` section whose title starts with `title`. */
function section(title: string): string {
  const parts = doc.split(/^## /m);
  const found = parts.find((p) => p.replace(/^\d+\.\s*/, '').startsWith(title));
  if (!found) throw new Error(`docs/protocol.md has no section "${title}"`);
  return found;
}

const headings = (text: string) => [...text.matchAll(/^### `([A-Za-z]+)`/gm)].map((m) => m[1]!);
const jsonBlocks = (text: string) => [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);

const typesOf = (
  schema: { options: ReadonlyArray<{ shape: Record<string, { value?: unknown }> }> },
  key: string,
) => schema.options.map((o) => String(o.shape[key]!.value)).sort();

describe('docs/protocol.md', () => {
  const cases = [
    { title: 'Client → server messages', schema: clientMessage, key: 'type' },
    { title: 'Server → client messages', schema: serverMessage, key: 'type' },
    { title: 'Events', schema: liveEvent, key: 'kind' },
  ] as const;

  for (const { title, schema, key } of cases) {
    it(`documents each of its ${title} with a valid example`, () => {
      const text = section(title);
      const expected = typesOf(schema as never, key);
      expect([...headings(text)].sort()).toEqual(expected);
      const exampled = new Set<string>();
      for (const block of jsonBlocks(text)) {
        const parsed = schema.safeParse(JSON.parse(block));
        expect(parsed.success, `${block}\n${parsed.error?.message ?? ''}`).toBe(true);
        exampled.add(String((JSON.parse(block) as Record<string, unknown>)[key]));
      }
      expect([...exampled].sort()).toEqual(expected);
    });
  }

  it('documents every close code', () => {
    const text = section('Close codes');
    for (const code of [1000, 1001, 1009, ...Object.values(closeCodes)])
      expect(text).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
  });

  it('documents, and translates, every error code the live server and the ballot rules produce', () => {
    const text = section('Error codes');
    const documented = new Set([...text.matchAll(/^\| `([a-z][\w.]+)` \|/gm)].map((m) => m[1]!));
    const sources = [
      ...readdirSync('server/live').map((f) => path.join('server/live', f)),
      'shared/domain/ballot-rules.ts',
    ];
    const produced = new Set<string>();
    const pattern =
      /(?:wsError|conflict|badRequest|forbidden|unauthorized|new AppError|super|code:)\(?\s*'([a-z][\w]*\.[\w.]+|internal)'/g;
    for (const file of sources)
      for (const m of readFileSync(file, 'utf8').matchAll(pattern)) produced.add(m[1]!);
    expect(produced.size).toBeGreaterThan(40);
    expect([...produced].filter((code) => !documented.has(code))).toEqual([]);
    expect([...documented].filter((code) => !(`error.${code}` in catalog['zh-CN']))).toEqual([]);
  });

  it('states the limits the code enforces', () => {
    expect(doc).toContain(`larger than **${maxFrameBytes / 1024} KiB**`);
    expect(doc).toContain(
      `**${rateLimit.perSecond} frames a second on average, in bursts of up to ${rateLimit.burst}**`,
    );
  });
});
