import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { testPassword } from './test-app.ts';

/** The sign-in page's labels as a person reads them, per language (literal, so a gap shows). */
const signInLabels = {
  'zh-CN': { login: '登录名', password: '密码', submit: '登录' },
  en: { login: 'Login name', password: 'Password', submit: 'Sign in' },
} as const;

/**
 * Signs in through the sign-in page, read in `language` (the browser context's language, Chinese
 * by default), and waits for the page asked for.
 */
export async function signInAt(
  page: Page,
  baseUrl: string,
  login: string,
  next: string,
  language: keyof typeof signInLabels = 'zh-CN',
  password = testPassword,
) {
  const labels = signInLabels[language];
  await page.goto(`${baseUrl}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel(labels.login).fill(login);
  await page.getByLabel(labels.password).fill(password);
  await page.getByRole('button', { name: labels.submit, exact: true }).click();
  await page.waitForURL((url) => url.pathname === next.split('?')[0]);
}

/**
 * Chinese text left in the page's main landmark once the given data (people's and organizations'
 * names, titles someone typed) is taken out: what an English reader would meet untranslated.
 * Walks the composed tree (shadow roots, slotted content) and reads what is rendered, plus the
 * labels a screen reader announces (aria-label, placeholder, alt, title).
 */
export async function untranslatedText(page: Page, data: readonly string[]): Promise<string[]> {
  const chunks = await page.evaluate(() => {
    const found: string[] = [];
    const main = document.querySelector('mj-app')?.shadowRoot?.querySelector('main');
    const visit = (node: Node) => {
      if (node.nodeType === Node.TEXT_NODE) {
        if (node.textContent?.trim()) found.push(node.textContent.trim());
        return;
      }
      if (!(node instanceof Element)) return;
      if (['STYLE', 'SCRIPT', 'TEMPLATE'].includes(node.tagName)) return;
      if (!node.checkVisibility()) return;
      for (const attribute of ['aria-label', 'placeholder', 'alt', 'title']) {
        const value = node.getAttribute(attribute)?.trim();
        if (value) found.push(value);
      }
      if (node.shadowRoot) for (const child of node.shadowRoot.childNodes) visit(child);
      else if (node instanceof HTMLSlotElement)
        for (const child of node.assignedNodes({ flatten: true })) visit(child);
      else for (const child of node.childNodes) visit(child);
    };
    if (main) visit(main);
    return found;
  });
  // Longest first, so a name is taken out before a shorter name inside it.
  const known = [...data].sort((a, b) => b.length - a.length);
  const cjk = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
  const left = chunks.filter((chunk) => cjk.test(known.reduce((text, d) => text.split(d).join(''), chunk)));
  return [...new Set(left)];
}

let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/**
 * Runs axe-core on the page as it stands (open shadow roots included) and returns the serious and
 * critical violations, each with the elements it found.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the app's Content-Security-Policy (script-src 'self')
  // rightly refuses an injected <script>.
  // Once per document: a page the app navigates inside keeps it.
  if (!(await page.evaluate(() => 'axe' in globalThis))) {
    axeSource ??= await readFile(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');
    await page.evaluate(axeSource);
  }
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<any> } }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations as AxeViolation[];
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ ...v, nodes: v.nodes.slice(0, 5) }));
}
