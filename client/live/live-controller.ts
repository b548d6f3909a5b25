import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { locale } from '../core/i18n.ts';
import { LiveConnection, type LiveConnectionOptions } from './connection.ts';

/**
 * Ties a LiveConnection to a Lit element: the element re-renders on every change and the
 * connection stops when the element leaves the page.
 */
export class LiveController implements ReactiveController {
  connection: LiveConnection | null = null;
  private unsubscribe?: () => void;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  connect(options: Omit<LiveConnectionOptions, 'locale'>) {
    this.disconnect();
    const connection = new LiveConnection({ ...options, locale });
    this.connection = connection;
    this.unsubscribe = connection.subscribe(() => this.host.requestUpdate());
    connection.start();
    this.host.requestUpdate();
    return connection;
  }

  disconnect() {
    this.unsubscribe?.();
    this.connection?.stop();
    this.connection = null;
  }

  hostDisconnected() {
    this.disconnect();
  }
}
