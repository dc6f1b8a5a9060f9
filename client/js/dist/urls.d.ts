/** wsURL turns url into a ws: or wss: URL. */
export declare function wsURL(url: string): URL;
/** sseURL is sseUrl when given, else url over http(s) with a last path segment `ws` made `sse`. */
export declare function sseURL(url: string, sseUrl?: string): URL;
/** withQuery returns u with params set (existing ones replaced). */
export declare function withQuery(u: URL, params: Record<string, string | undefined>): string;
/** randomId makes a short random id for connection and client message ids. */
export declare function randomId(prefix: string): string;
