/**
 * Group commit: items submitted within a few milliseconds of each other are written together (one
 * transaction, one fsync) and each submitter is answered only after that write. Writes never
 * overlap: while one runs, new items queue for the next, so a busy node makes bigger batches
 * rather than more transactions. `write` answers every item of its batch, in order; if it throws,
 * every item of the batch is rejected with the error.
 */
export class GroupCommit<T, R> {
  private queue: Array<{ item: T; resolve(result: R): void; reject(err: unknown): void }> = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly write: (batch: T[]) => Promise<R[]>,
    /** How long the first item of a batch waits for company, and the largest batch. */
    private readonly options: { windowMs: number; maxBatch: number },
  ) {}

  submit(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Waits until everything submitted so far has been written (or refused). */
  async drain() {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.flushing || this.queue.length > 0) await (this.flushing ?? this.flush());
  }

  private schedule() {
    if (this.timer || this.flushing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.windowMs);
  }

  private flush(): Promise<void> {
    this.flushing ??= (async () => {
      try {
        while (this.queue.length > 0) {
          const batch = this.queue.splice(0, this.options.maxBatch);
          try {
            const results = await this.write(batch.map((p) => p.item));
            for (const [i, p] of batch.entries()) p.resolve(results[i]!);
          } catch (err) {
            for (const p of batch) p.reject(err);
          }
        }
      } finally {
        this.flushing = undefined;
      }
    })();
    return this.flushing;
  }
}
