import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Paper size and margins for a printable page. @page rules are ignored inside shadow roots, so the
 * rule goes into the document's head while the page is shown, and out again when it leaves.
 *
 * @example
 * private readonly paper = new PaperController(this, 'A4', '18mm 16mm 20mm');
 */
export class PaperController implements ReactiveController {
  private style?: HTMLStyleElement;

  constructor(
    host: ReactiveControllerHost,
    private readonly size: string,
    private readonly margin: string,
  ) {
    host.addController(this);
  }

  hostConnected() {
    this.style = document.createElement('style');
    this.style.textContent = `@page { size: ${this.size}; margin: ${this.margin}; }`;
    document.head.append(this.style);
  }

  hostDisconnected() {
    this.style?.remove();
  }
}
