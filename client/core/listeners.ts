import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Re-renders a Lit element whenever a module-level store notifies its listeners (the language,
 * the route, the session…), subscribing only while the element is connected.
 */
export class StoreController implements ReactiveController {
  private readonly update = () => this.host.requestUpdate();
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly listeners: Set<() => void>,
  ) {
    host.addController(this);
  }
  hostConnected() {
    this.listeners.add(this.update);
  }
  hostDisconnected() {
    this.listeners.delete(this.update);
  }
}
