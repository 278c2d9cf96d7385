// Connection pools. undici does not go through the editor's proxy support, so the proxy settings arrive
// here explicitly and are applied with undici's ProxyAgent; hosts in noProxy go direct.

import { Agent, ProxyAgent } from 'undici';
import type { Dispatcher } from 'undici';
import type { HttpTimeouts } from './networkErrors';

export interface ProxyConfig {
  /** `http://host:port`, optionally with `user:password@`. */
  readonly url: string;
  /** Verify certificates (the proxy's and, through it, the server's). */
  readonly strictSSL: boolean;
  /** Hosts reached without the proxy: `localhost`, `.example.com`, `example.com`, `10.0.0.1`, `host:port`, `*`. */
  readonly noProxy?: readonly string[];
}

export interface DispatcherOptions {
  readonly timeouts: HttpTimeouts;
  /** Verify server certificates on direct connections. */
  readonly strictSSL: boolean;
  readonly proxy: ProxyConfig | undefined;
}

/** One direct pool and, with a proxy, one proxied pool; both keep connections alive between requests. */
export class Dispatchers {
  private readonly direct: Agent;
  private readonly proxied: ProxyAgent | undefined;
  private readonly noProxy: readonly string[];

  constructor(options: DispatcherOptions) {
    const { timeouts, strictSSL, proxy } = options;
    this.direct = new Agent({
      connect: { timeout: timeouts.connectMillis, rejectUnauthorized: strictSSL },
      headersTimeout: timeouts.headersMillis,
      bodyTimeout: timeouts.bodyMillis,
    });
    this.noProxy = proxy?.noProxy ?? [];
    this.proxied =
      proxy === undefined
        ? undefined
        : new ProxyAgent({
            uri: proxy.url,
            // http:// targets go as absolute-form requests, as the editor's own proxy support sends them;
            // many proxies refuse CONNECT to ports other than 443. https:// targets are tunnelled.
            proxyTunnel: false,
            proxyTls: { rejectUnauthorized: proxy.strictSSL, timeout: timeouts.connectMillis },
            requestTls: { rejectUnauthorized: strictSSL && proxy.strictSSL, timeout: timeouts.connectMillis },
            headersTimeout: timeouts.headersMillis,
            bodyTimeout: timeouts.bodyMillis,
          });
  }

  /** The pool for a URL, and whether it goes through the proxy. */
  forUrl(url: URL): { readonly dispatcher: Dispatcher; readonly proxied: boolean } {
    if (this.proxied !== undefined && !bypassesProxy(url, this.noProxy)) return { dispatcher: this.proxied, proxied: true };
    return { dispatcher: this.direct, proxied: false };
  }

  async close(): Promise<void> {
    await Promise.all([this.direct.close(), this.proxied?.close()]);
  }
}

/** Whether a URL's host matches a noProxy entry (same rules as the usual NO_PROXY variable). */
export function bypassesProxy(url: URL, noProxy: readonly string[]): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    // `host:port` and `[v6]:port` carry a port; a bare IPv6 address has several colons and none.
    const portMatch = entry.startsWith('[') ? /^\[(.*)\]:(\d+)$/.exec(entry) : /^([^:]*):(\d+)$/.exec(entry);
    const entryHost = (portMatch?.[1] ?? entry).replace(/^\[|\]$/g, '').replace(/^\*/, '');
    if (portMatch !== null && portMatch[2] !== port) continue;
    if (entryHost.startsWith('.')) {
      if (host.endsWith(entryHost) || host === entryHost.slice(1)) return true;
    } else if (host === entryHost || host.endsWith(`.${entryHost}`)) {
      return true;
    }
  }
  return false;
}

/** The proxy URL without credentials, for messages. */
export function proxyDisplay(proxy: ProxyConfig): string {
  try {
    const url = new URL(proxy.url);
    return url.origin;
  } catch {
    return '(invalid proxy URL)';
  }
}
