import { randomBytes } from 'node:crypto';

/**
 * A multipart/form-data request body with one file, as a browser's FormData would send it, for
 * `TestClient.request(method, url, body, headers)`.
 */
export function multipartFile(
  fileName: string,
  bytes: Uint8Array | string,
  contentType = 'application/octet-stream',
  field = 'file',
): { body: Buffer; headers: Record<string, string> } {
  const boundary = `----mj${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    body: Buffer.concat([head, typeof bytes === 'string' ? Buffer.from(bytes) : bytes, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

let gbkTable: Map<string, number[]> | undefined;

/**
 * Encodes text as GB18030 the way Excel on Chinese Windows saves a CSV. Node can decode GB18030
 * but not encode it, so the table is built by decoding every two-byte sequence once; the test
 * texts use only ASCII and common Chinese characters, which all have two-byte codes.
 */
export function encodeGb18030(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gb18030');
    for (let lead = 0x81; lead <= 0xfe; lead++)
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const char = decoder.decode(new Uint8Array([lead, trail]));
        if (char.length === 1 && !gbkTable.has(char)) gbkTable.set(char, [lead, trail]);
      }
  }
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else {
      const encoded = gbkTable.get(char);
      if (!encoded) throw new Error(`no two-byte GB18030 code for ${char}`);
      bytes.push(...encoded);
    }
  }
  return Buffer.from(bytes);
}
