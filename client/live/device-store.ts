import type { ClientMessage } from '../../shared/schemas/live.ts';

/**
 * What a phone keeps about one meeting between page loads (localStorage): how it joins (a device or
 * observer token from a claimed code), submissions the server has not acknowledged yet, the
 * receipts of its ballots, and the ids and secrets of the criticism items it wrote. A phone that
 * locks, loses Wi-Fi or is reloaded picks up exactly where it was; nothing here ever leaves the
 * device except inside the protocol's own frames.
 */

/** The slice of the Storage API used here, so tests can pass an in-memory one. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A submission frame: everything that carries a clientId and waits for an ack. */
export type Submission = Extract<ClientMessage, { clientId: string }>;

/** How this phone joins a meeting without a signed-in account. */
export interface DevicePass {
  kind: 'device' | 'observer';
  token: string;
  name: string;
}

/** A criticism item this device wrote: the id the server gave it and the secret that proves it. */
export interface AuthoredItem {
  itemId: string;
  authorKey: string;
  roundId: string;
  subjectId: string;
}

export class DeviceStore {
  constructor(
    private readonly storage: KeyValueStore,
    private readonly meetingId: string,
  ) {}

  private key(what: string) {
    return `mj.live.${this.meetingId}.${what}`;
  }

  private read<T>(what: string, fallback: T): T {
    try {
      const raw = this.storage.getItem(this.key(what));
      return raw === null ? fallback : (JSON.parse(raw) as T);
    } catch {
      // A corrupted entry must not lock the member out of the meeting.
      return fallback;
    }
  }

  private write(what: string, value: unknown) {
    this.storage.setItem(this.key(what), JSON.stringify(value));
  }

  pass(): DevicePass | null {
    return this.read<DevicePass | null>('pass', null);
  }

  setPass(pass: DevicePass) {
    this.write('pass', pass);
  }

  clearPass() {
    this.storage.removeItem(this.key('pass'));
  }

  /** The meeting's title, so a phone reloaded without a network still says where it is. */
  title(): string {
    return this.read<string>('title', '');
  }

  setTitle(title: string) {
    if (title !== this.title()) this.write('title', title);
  }

  /** Unacknowledged submissions, oldest first (they are resent in this order). */
  pending(): Submission[] {
    return this.read<Submission[]>('pending', []);
  }

  /** Saved before the frame is sent, so a crash between send and ack loses nothing. */
  addPending(submission: Submission) {
    const pending = this.pending().filter((s) => s.clientId !== submission.clientId);
    this.write('pending', [...pending, submission]);
  }

  removePending(clientId: string): Submission | undefined {
    const pending = this.pending();
    const found = pending.find((s) => s.clientId === clientId);
    if (found)
      this.write(
        'pending',
        pending.filter((s) => s.clientId !== clientId),
      );
    return found;
  }

  /** Receipts of acknowledged ballots by round id. */
  receipts(): Record<string, string> {
    return this.read<Record<string, string>>('receipts', {});
  }

  setReceipt(roundId: string, receipt: string) {
    this.write('receipts', { ...this.receipts(), [roundId]: receipt });
  }

  /** Rounds this participant has answered, as far as this device knows (acks and refusals as already cast). */
  answered(): string[] {
    return this.read<string[]>('answered', []);
  }

  markAnswered(roundId: string) {
    const answered = this.answered();
    if (!answered.includes(roundId)) this.write('answered', [...answered, roundId]);
  }

  /**
   * A half-filled form (an appraisal grid of thirty rows is a lot to redo if a cheap phone drops
   * the tab); removed when the ballot is submitted.
   */
  draft<T>(roundId: string): T | null {
    return this.read<T | null>(`draft.${roundId}`, null);
  }

  setDraft(roundId: string, value: unknown) {
    this.write(`draft.${roundId}`, value);
  }

  clearDraft(roundId: string) {
    this.storage.removeItem(this.key(`draft.${roundId}`));
  }

  items(): AuthoredItem[] {
    return this.read<AuthoredItem[]>('items', []);
  }

  addItem(item: AuthoredItem) {
    this.write('items', [...this.items().filter((i) => i.itemId !== item.itemId), item]);
  }
}

/** localStorage when the browser offers it (private modes may refuse), else memory for this page. */
export function browserStore(): KeyValueStore {
  try {
    const probe = '__mj_probe__';
    globalThis.localStorage.setItem(probe, '1');
    globalThis.localStorage.removeItem(probe);
    return globalThis.localStorage;
  } catch {
    return memoryStore();
  }
}

export function memoryStore(): KeyValueStore {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}
