/**
 * The one API client. Paths come from the route table, bodies are typed from the route
 * contracts and every answer is parsed with the contract's own schema (the server's answers are
 * untrusted data too). It never throws for an HTTP status: callers get `ok: false` with the
 * problem; only a failed connection throws NetworkError. The UI never calls this directly: the
 * outbox and the pull do.
 */
import * as z from 'zod/mini';
import { templateContracts } from '#routes/contracts/templates.ts';
import { unitContracts } from '#routes/contracts/units.ts';
import { visitContracts } from '#routes/contracts/visits.ts';
import { routes } from '#routes/table.ts';
import type { PhotoBody, VisitBody, VisitOut } from './types.ts';

export type RouteName = (typeof routes)[number]['name'];

/** The connection failed (offline, DNS, reset): nothing is known about the server's state. */
export class NetworkError extends Error {}

export interface ApiProblem {
  status: number;
  code: string;
  detail: string;
  errors: Array<{ path: string; message: string }>;
  current?: unknown;
}

export type ApiResult<T> =
  | { ok: true; status: number; body: T; etag: string | null }
  | { ok: false; status: number; problem: ApiProblem; retryAfter: string | null };

const problemSchema = z.looseObject({
  code: z.optional(z.string()),
  detail: z.optional(z.string()),
  title: z.optional(z.string()),
  errors: z.optional(z.array(z.looseObject({ path: z.string(), message: z.string() }))),
  current: z.optional(z.unknown()),
});

/** `/v1/visits/{visitId}` with its parameters filled in, from the route table. */
export function pathOf(name: RouteName, params: Record<string, string> = {}): string {
  const route = routes.find((candidate) => candidate.name === name);
  if (route === undefined) throw new Error(`no route ${name}`);
  return route.path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`route ${name} needs ${key}`);
    return encodeURIComponent(value);
  });
}

export interface ApiOptions {
  baseUrl: string;
  /** A valid access token, or null when the user must sign in again. */
  token: () => Promise<string | null>;
  language: () => 'vi' | 'en';
  fetch?: typeof fetch;
}

export interface Call {
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  ifMatch?: string | null;
  /** An `Idempotency-Key` for a creating POST (publications, exports, template versions). */
  idempotencyKey?: string;
}

export type Api = ReturnType<typeof createApi>;

export function createApi(options: ApiOptions) {
  const doFetch = options.fetch ?? ((input: string | URL, init?: RequestInit) => fetch(input, init));

  async function call<T>(request: Call, schema: z.ZodMiniType<T>): Promise<ApiResult<T>> {
    const token = await options.token();
    if (token === null) {
      return {
        ok: false,
        status: 401,
        problem: { status: 401, code: 'unauthenticated', detail: 'no token', errors: [] },
        retryAfter: null,
      };
    }
    const url = new URL(request.path, options.baseUrl);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      'Accept-Language': options.language(),
    };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    if (request.ifMatch) headers['If-Match'] = request.ifMatch;
    if (request.idempotencyKey) headers['Idempotency-Key'] = request.idempotencyKey;
    let response: Response;
    try {
      response = await doFetch(url, {
        method: request.method,
        headers,
        body: request.body === undefined ? null : JSON.stringify(request.body),
        cache: 'no-store',
      });
    } catch (error) {
      throw new NetworkError(error instanceof Error ? error.message : String(error));
    }
    let json: unknown = null;
    try {
      json = response.status === 204 ? null : await response.json();
    } catch {
      json = null;
    }
    if (response.ok) {
      const parsed = schema.safeParse(json);
      if (parsed.success) {
        return { ok: true, status: response.status, body: parsed.data, etag: response.headers.get('ETag') };
      }
      // A 2xx the contract does not describe: treated like a server error (retried later).
      return {
        ok: false,
        status: 502,
        problem: { status: 502, code: 'invalid_response', detail: parsed.error.message, errors: [] },
        retryAfter: null,
      };
    }
    const problem = problemSchema.safeParse(json);
    const data = problem.success ? problem.data : {};
    return {
      ok: false,
      status: response.status,
      problem: {
        status: response.status,
        code: data.code ?? `http_${response.status}`,
        detail: data.detail ?? data.title ?? response.statusText,
        errors: data.errors ?? [],
        current: data.current,
      },
      retryAfter: response.headers.get('Retry-After'),
    };
  }

  const visit = (visitId: string) => ({ visitId });
  return {
    /** Any route of the table with its contract's schema: the console builds its calls on this. */
    request: call,
    listUnits: (query: { parentId?: string; cursor?: string }) =>
      call(
        { method: 'GET', path: pathOf('listUnits'), query: { ...query, limit: '100' } },
        unitContracts.listUnits.success.body,
      ),
    listTemplates: () =>
      call(
        { method: 'GET', path: pathOf('listTemplates'), query: { limit: '100' } },
        templateContracts.listTemplates.success.body,
      ),
    getTemplateVersion: (templateId: string, version: number | 'latest') =>
      call(
        { method: 'GET', path: pathOf('getTemplateVersion', { templateId, version: String(version) }) },
        templateContracts.getTemplateVersion.success.body,
      ),
    listVisits: (query: { cursor?: string }) =>
      call(
        { method: 'GET', path: pathOf('listVisits'), query: { ...query, limit: '100' } },
        visitContracts.listVisits.success.body,
      ),
    getVisit: (visitId: string) =>
      call({ method: 'GET', path: pathOf('getVisit', visit(visitId)) }, visitContracts.getVisit.success.body),
    putVisit: (visitId: string, body: VisitBody, ifMatch: string | null) =>
      call(
        { method: 'PUT', path: pathOf('putVisit', visit(visitId)), body, ifMatch },
        visitContracts.putVisit.success.body,
      ),
    submitVisit: (visitId: string) =>
      call(
        { method: 'POST', path: pathOf('submitVisit', visit(visitId)) },
        visitContracts.submitVisit.success.body,
      ),
    createPhoto: (visitId: string, body: PhotoBody) =>
      call(
        { method: 'POST', path: pathOf('createPhoto', visit(visitId)), body },
        visitContracts.createPhoto.success.body,
      ),
    getPhoto: (visitId: string, photoId: string) =>
      call(
        { method: 'GET', path: pathOf('getPhoto', { visitId, photoId }) },
        visitContracts.getPhoto.success.body,
      ),
    /**
     * Deletes one's own draft visit and its photos (204). Sent without If-Match (optional on
     * this route): the inspector confirmed the discard of their own draft; the server's status
     * rule (draft only, else 409 invalid_state) is what guards submitted work.
     */
    deleteVisit: (visitId: string) =>
      call({ method: 'DELETE', path: pathOf('deleteVisit', { visitId }) }, z.null()),
    /** Removes a photo of an editable visit (204; the contract's DELETE, no If-Match). */
    deletePhoto: (visitId: string, photoId: string) =>
      call({ method: 'DELETE', path: pathOf('deletePhoto', { visitId, photoId }) }, z.null()),
    /** The visit as the server holds it after a 412, parsed with the contract. */
    parseVisit: (value: unknown): VisitOut | null => {
      // Whole (with photos and history) or as lists give it: both are the visit.
      const whole = visitContracts.getVisit.success.body.safeParse(value);
      if (whole.success) return whole.data;
      const listed = visitContracts.listVisits.success.body.shape.items.def.element.safeParse(value);
      return listed.success ? listed.data : null;
    },
    /**
     * Posts a photo with a presigned S3 POST form: its fields, then `file` last (S3 ignores
     * fields after the file). The form is used once, right after it was issued.
     */
    uploadForm: async (
      upload: { url: string; fields: Record<string, string> },
      file: Blob,
      fileName: string,
    ): Promise<{ ok: boolean; status: number }> => {
      const form = new FormData();
      for (const [key, value] of Object.entries(upload.fields)) form.append(key, value);
      form.append('file', file, fileName);
      try {
        const response = await doFetch(new URL(upload.url, options.baseUrl), {
          method: 'POST',
          body: form,
          cache: 'no-store',
        });
        return { ok: response.ok, status: response.status };
      } catch (error) {
        throw new NetworkError(error instanceof Error ? error.message : String(error));
      }
    },
  };
}
