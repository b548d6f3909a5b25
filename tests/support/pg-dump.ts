import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

/**
 * A plain-text pg_dump of a database and what the anonymity audit reads from it: each table's
 * column definitions, its foreign keys and its rows in the order the dump wrote them (the order
 * of the heap, i.e. physical order).
 */
export interface Dump {
  text: string;
  /** Column name → the rest of its definition (type, default, constraints). */
  columns(table: string): Map<string, string>;
  /** `(column) REFERENCES public.table(column)` of each foreign key on the table. */
  foreignKeys(table: string): string[];
  /** Rows as column → value (null for \N), in dump order. */
  rows(table: string): Array<Record<string, string | null>>;
}

/** The pg_dump of the server's major version (Debian installs one per version). */
export function pgDumpFor(serverMajor: number): string {
  const candidate = `/usr/lib/postgresql/${serverMajor}/bin/pg_dump`;
  if (!existsSync(candidate))
    throw new Error(
      `no pg_dump for PostgreSQL ${serverMajor} at ${candidate} (install postgresql-client-${serverMajor})`,
    );
  return candidate;
}

export async function pgDump(binary: string, databaseUrl: string): Promise<Dump> {
  const { stdout: text } = await promisify(execFile)(binary, ['--no-owner', '--no-privileges', databaseUrl], {
    maxBuffer: 256 * 1024 * 1024,
  });
  const copyValue = (v: string) =>
    v === '\\N'
      ? null
      : v.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r', '\\': '\\' })[c] ?? c);
  return {
    text,
    columns(table) {
      const block = text.match(new RegExp(`CREATE TABLE public\\.${table} \\(\\n([\\s\\S]*?)\\n\\);`));
      if (!block) throw new Error(`no CREATE TABLE public.${table} in the dump`);
      return new Map(
        block[1]!
          .split(',\n')
          .map((line) => line.trim())
          .filter((line) => !line.startsWith('CONSTRAINT'))
          .map((line) => {
            const [name, ...rest] = line.split(' ');
            return [name!, rest.join(' ')] as [string, string];
          }),
      );
    },
    foreignKeys(table) {
      const pattern = new RegExp(
        `ALTER TABLE ONLY public\\.${table}\\n\\s+ADD CONSTRAINT \\S+ FOREIGN KEY (\\([^)]*\\) REFERENCES public\\.\\w+\\([^)]*\\))`,
        'g',
      );
      return [...text.matchAll(pattern)].map((m) => m[1]!);
    },
    rows(table) {
      const block = text.match(
        new RegExp(`COPY public\\.${table} \\(([^)]*)\\) FROM stdin;\\n([\\s\\S]*?)\\\\\\.\\n`),
      );
      if (!block) throw new Error(`no COPY public.${table} in the dump`);
      const names = block[1]!.split(', ');
      return block[2]!
        .split('\n')
        .filter(Boolean)
        .map((line) => Object.fromEntries(line.split('\t').map((v, i) => [names[i]!, copyValue(v)])));
    },
  };
}
