import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { LocaleController } from './i18n.ts';
import { baseStyles } from './styles.ts';

/**
 * Base for routed pages: receives the route's params and query string, re-renders on a language
 * switch, and shares the base styles. Subclasses add their own styles after baseStyles.
 */
export class MjPage extends LitElement {
  static override styles = [baseStyles];
  @property({ attribute: false }) params: Record<string, string> = {};
  @property({ attribute: false }) query: URLSearchParams = new URLSearchParams();
  protected readonly localeController = new LocaleController(this);
}
