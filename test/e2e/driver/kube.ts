/**
 * TEST INSTRUMENT — not product code.
 *
 * Minimal Kubernetes REST client for the e2e tests: node:http/node:https with a CA file and a
 * bearer token, JSON in and out. No Kubernetes client library and no undici import on purpose,
 * so the e2e harness has no dependency the product does not already have.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** PEM CA bundle for https URLs. */
  ca?: string | Buffer;
  timeoutMs?: number;
  agent?: http.Agent;
}

/** One HTTP(S) request; resolves for every status code, rejects on transport errors/timeouts. */
export function httpRequest(url: string, opts: HttpOptions = {}): Promise<HttpResult> {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body));
  return new Promise<HttpResult>((resolve, reject) => {
    const req = mod.request(
      u,
      {
        method: opts.method ?? 'GET',
        headers,
        ...(u.protocol === 'https:' && opts.ca ? { ca: opts.ca } : {}),
        ...(opts.agent ? { agent: opts.agent } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    const timeoutMs = opts.timeoutMs ?? 30_000;
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs}ms: ${opts.method ?? 'GET'} ${url}`)));
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export class KubeError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    const msg = typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : JSON.stringify(body);
    super(`${method} ${path} -> ${status}: ${msg}`);
  }
  get reason(): string | undefined {
    return typeof this.body === 'object' && this.body && 'reason' in this.body ? String((this.body as { reason: unknown }).reason) : undefined;
  }
}

export interface ClusterCredentials {
  /** https://127.0.0.1:PORT */
  server: string;
  token: string;
  /** Path of the PEM CA that signed the apiserver's serving certificate. */
  caFile: string;
}

export interface ResourceRef {
  apiVersion: string;
  /** lowercase plural, e.g. "statefulsets" */
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** URL path of a resource (collection when name is absent). */
export function resourcePath(r: ResourceRef): string {
  const base = r.apiVersion.includes('/') ? `/apis/${r.apiVersion}` : `/api/${r.apiVersion}`;
  let p = base;
  if (r.namespace) p += `/namespaces/${encodeURIComponent(r.namespace)}`;
  p += `/${r.resource}`;
  if (r.name) p += `/${encodeURIComponent(r.name)}`;
  if (r.subresource) p += `/${r.subresource}`;
  return p;
}

export class KubeClient {
  private readonly ca: Buffer;
  private readonly agent: https.Agent;

  constructor(readonly creds: ClusterCredentials) {
    this.ca = readFileSync(creds.caFile);
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 8, ca: this.ca });
  }

  /** Raw request; returns status and parsed JSON body (or text when not JSON). */
  async raw(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: unknown }> {
    const res = await httpRequest(this.creds.server + path, {
      method,
      headers: {
        authorization: `Bearer ${this.creds.token}`,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': contentType } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      ca: this.ca,
      agent: this.agent,
    });
    let parsed: unknown = res.text;
    try {
      parsed = res.text ? JSON.parse(res.text) : undefined;
    } catch {
      /* keep text */
    }
    return { status: res.status, body: parsed };
  }

  /** Request that throws KubeError on any non-2xx status. */
  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const res = await this.raw(method, path, body, contentType);
    if (res.status < 200 || res.status >= 300) throw new KubeError(method, path, res.status, res.body);
    return res.body as T;
  }

  get<T = Record<string, unknown>>(r: ResourceRef): Promise<T> {
    return this.request<T>('GET', resourcePath(r));
  }

  /** GET that returns undefined on 404. */
  async getOrUndefined<T = Record<string, unknown>>(r: ResourceRef): Promise<T | undefined> {
    const res = await this.raw('GET', resourcePath(r));
    if (res.status === 404) return undefined;
    if (res.status < 200 || res.status >= 300) throw new KubeError('GET', resourcePath(r), res.status, res.body);
    return res.body as T;
  }

  /** Lists a collection; every item gets apiVersion/kind filled in (lists omit them per item). */
  async list(r: Omit<ResourceRef, 'name'> & { kind?: string }, labelSelector?: string): Promise<Array<Record<string, unknown>>> {
    const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    const res = await this.request<{ kind?: string; items?: Array<Record<string, unknown>> }>('GET', resourcePath(r) + q);
    const kind = r.kind ?? res.kind?.replace(/List$/, '');
    return (res.items ?? []).map((item) => ({ apiVersion: r.apiVersion, kind, ...item }));
  }

  create<T = Record<string, unknown>>(r: ResourceRef, obj: unknown): Promise<T> {
    return this.request<T>('POST', resourcePath({ ...r, name: undefined }), obj);
  }

  replace<T = Record<string, unknown>>(r: ResourceRef, obj: unknown): Promise<T> {
    return this.request<T>('PUT', resourcePath(r), obj);
  }

  mergePatch<T = Record<string, unknown>>(r: ResourceRef, patch: unknown): Promise<T> {
    return this.request<T>('PATCH', resourcePath(r), patch, 'application/merge-patch+json');
  }

  delete(r: ResourceRef, options: Record<string, unknown> = {}): Promise<unknown> {
    return this.request('DELETE', resourcePath(r), { apiVersion: 'v1', kind: 'DeleteOptions', ...options });
  }

  close(): void {
    this.agent.destroy();
  }
}
