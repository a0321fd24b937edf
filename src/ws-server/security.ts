import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Who may talk to the server: the launch token and the exact hosts and origins of this port. */
export interface AccessPolicy {
  token: string;
  /** Cookie names are not scoped by port, so the port is part of the name: two servers never share one. */
  cookieName: string;
  hosts: ReadonlySet<string>;
  origins: ReadonlySet<string>;
}

// A fresh launch token: 256 random bits, URL-safe.
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

// The policy for a server on `port`; `extraHost` is a non-loopback address the user asked to listen on.
export function createAccessPolicy(token: string, port: number, extraHost?: string): AccessPolicy {
  const names = ['127.0.0.1', 'localhost', '[::1]', ...(extraHost ? [extraHost] : [])];
  return {
    token,
    cookieName: `orchestrate-${port}`,
    hosts: new Set(names.map((name) => `${name}:${port}`)),
    origins: new Set(names.map((name) => `http://${name}:${port}`)),
  };
}

/** Why a request was turned away; also the `reason` label of the rejection metric. */
export type Rejection = 'host' | 'origin' | 'token' | 'crossSite';

// Checks Host (every request, against DNS rebinding) and, when asked, Origin (against cross-site use).
// A missing Origin passes here: non-browser clients send none, and they still need the token.
export function checkRequest(request: IncomingMessage, policy: AccessPolicy, checkOrigin: boolean): Rejection | null {
  const host = request.headers.host;
  if (typeof host !== 'string' || !policy.hosts.has(host.toLowerCase())) return 'host';
  const origin = request.headers.origin;
  if (checkOrigin && origin !== undefined && !policy.origins.has(origin)) return 'origin';
  return null;
}

// True for a cross-site request that is not a top-level navigation: a <script> or <img> of another
// site trying to read our assets (XSSI). Browsers that send no Sec-Fetch headers are judged by Host.
export function isCrossSiteSubresource(request: IncomingMessage): boolean {
  const site = request.headers['sec-fetch-site'];
  const mode = request.headers['sec-fetch-mode'];
  return (site === 'cross-site' || site === 'same-site') && mode !== 'navigate';
}

// True when the request carries the launch token, in the cookie or as `Authorization: Bearer`.
export function hasToken(request: IncomingMessage, policy: AccessPolicy): boolean {
  const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
  const cookie = readCookie(request.headers.cookie, policy.cookieName);
  return [bearer, cookie].some((candidate) => candidate !== undefined && tokensEqual(candidate, policy.token));
}

// Constant-time comparison: hashing first makes both sides the same length, so neither the
// content nor the length of the secret leaks through timing.
export function tokensEqual(candidate: string, token: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(candidate), digest(token));
}

// The Set-Cookie value that hands the token to the browser: not readable by scripts, never sent cross-site.
export function tokenCookie(policy: AccessPolicy): string {
  return `${policy.cookieName}=${policy.token}; HttpOnly; SameSite=Strict; Path=/`;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
