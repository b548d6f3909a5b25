import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The state of a form's or a button's action: busy while it runs (to disable the button), and the
 * error it ended with (for errorBanner and field()). Re-renders the host as that state changes.
 *
 * @example
 * private readonly save = new ActionController(this);
 * // in render: ${errorBanner(this.save.error)} <button ?disabled=${this.save.busy}>
 * // on submit: if (await this.save.run(() => api.post(url, body))) navigate(next);
 */
export class ActionController implements ReactiveController {
  busy = false;
  error: unknown;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected() {}

  /** Runs the action; true when it succeeded, false when it failed (the error is kept). */
  async run(action: () => Promise<unknown>): Promise<boolean> {
    this.busy = true;
    this.error = undefined;
    this.host.requestUpdate();
    try {
      await action();
      return true;
    } catch (err) {
      this.error = err;
      return false;
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  /** Sets an error found before calling the server (e.g. two passwords that differ), or clears it. */
  setError(error: unknown) {
    this.error = error;
    this.host.requestUpdate();
  }
}
