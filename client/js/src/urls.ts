// The addresses of a connection: the WebSocket URL the caller gave, the SSE
// URL beside it, and the query string that carries identity and resume.

/** base resolves url against the page's address in a browser. */
function base(url: string): URL {
  const loc = (globalThis as { location?: { href: string } }).location;
  return loc ? new URL(url, loc.href) : new URL(url);
}

/** wsURL turns url into a ws: or wss: URL. */
export function wsURL(url: string): URL {
  const u = base(url);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  if (u.protocol === 'https:') u.protocol = 'wss:';
  return u;
}

/** sseURL is sseUrl when given, else url over http(s) with a last path segment `ws` made `sse`. */
export function sseURL(url: string, sseUrl?: string): URL {
  const u = base(sseUrl || url);
  if (u.protocol === 'ws:') u.protocol = 'http:';
  if (u.protocol === 'wss:') u.protocol = 'https:';
  if (!sseUrl) {
    if (/\/ws$/.test(u.pathname)) u.pathname = u.pathname.replace(/\/ws$/, '/sse');
    else if (!/\/sse$/.test(u.pathname)) u.pathname = u.pathname.replace(/\/?$/, '/sse');
  }
  return u;
}

/** withQuery returns u with params set (existing ones replaced). */
export function withQuery(u: URL, params: Record<string, string | undefined>): string {
  const out = new URL(u.toString());
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== '') out.searchParams.set(k, v);
  }
  return out.toString();
}

/** randomId makes a short random id for connection and client message ids. */
export function randomId(prefix: string): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  const r = c?.randomUUID ? c.randomUUID().replace(/-/g, '').slice(0, 16) : Math.random().toString(36).slice(2, 14);
  return prefix + r;
}
