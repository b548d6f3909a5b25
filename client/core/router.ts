import type { ReactiveControllerHost } from 'lit';
import { StoreController } from './listeners.ts';

/**
 * A small path router on the History API. Routes map a pattern like `/meetings/:id/minutes` to a
 * custom element that is loaded on first use; params become the element's properties.
 */
export interface Route {
  pattern: string;
  tag: string;
  load: () => Promise<unknown>;
  /** Pages reachable without signing in (sign-in, set-up, invitations, joining a live meeting). */
  public?: boolean;
  /** Full-screen pages without the app's navigation (projector, phone meeting view, print). */
  bare?: boolean;
}

export interface Match {
  route: Route;
  params: Record<string, string>;
  query: URLSearchParams;
}

export function matchRoute(routes: readonly Route[], pathname: string, search = ''): Match | undefined {
  const parts = pathname.replace(/\/+$/, '').split('/').filter(Boolean);
  for (const route of routes) {
    const pattern = route.pattern.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length; i++) {
      const p = pattern[i]!;
      if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(parts[i]!);
      else if (p !== parts[i]) {
        ok = false;
        break;
      }
    }
    if (ok) return { route, params, query: new URLSearchParams(search) };
  }
  return undefined;
}

const listeners = new Set<() => void>();

export function navigate(path: string, options: { replace?: boolean } = {}) {
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.scrollTo(0, 0);
  for (const listener of listeners) listener();
}

window.addEventListener('popstate', () => {
  for (const listener of listeners) listener();
});

// Same-origin links navigate inside the app; shadow DOM is crossed with composedPath().
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
    return;
  const anchor = event.composedPath().find((el): el is HTMLAnchorElement => el instanceof HTMLAnchorElement);
  if (!anchor || anchor.target || anchor.hasAttribute('download') || anchor.origin !== location.origin)
    return;
  if (anchor.pathname.startsWith('/api/')) return;
  event.preventDefault();
  navigate(anchor.pathname + anchor.search);
});

/** Re-renders its host on every navigation. */
export class RouteController extends StoreController {
  constructor(host: ReactiveControllerHost) {
    super(host, listeners);
  }
}
