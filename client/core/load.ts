import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * What an element shows, fetched each time it connects: `value` once it has arrived (undefined
 * while loading), or `error` when it could not be had. The host re-renders on either.
 */
export class LoadController<T> implements ReactiveController {
  value?: T;
  error: unknown;
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly load: () => Promise<T>,
  ) {
    host.addController(this);
  }
  hostConnected() {
    this.load().then(
      (value) => {
        this.value = value;
        this.error = undefined;
        this.host.requestUpdate();
      },
      (error) => {
        this.error = error;
        this.host.requestUpdate();
      },
    );
  }
}
