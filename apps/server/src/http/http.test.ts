import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisationWithAdmin } from '../../test/factories.ts';
import { createTestApp, jsonHeaders, type TestApp } from '../../test/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('system endpoints', () => {
  it('answers health with the engine, version and web build (none in these tests)', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ok',
      database: t.deps.engine,
      version: t.deps.version,
      webBuild: null,
    });
    expect(['pglite', 'postgres']).toContain(response.json().database);
  });

  it('serves an OpenAPI document that lists the routes', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/auth/sign-in', '/api/admin/audit']),
    );
  });

  it('sends strict security headers and a request id', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown API path with the error shape', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'not_found', message: expect.any(String), requestId: response.headers['x-request-id'] },
    });
  });
});

describe('bad input', () => {
  const signIn = (payload: string, headers: Record<string, string> = jsonHeaders) =>
    t.app.inject({ method: 'POST', url: '/api/auth/sign-in', headers, payload });

  it('rejects malformed JSON with a stable code', async () => {
    const response = await signIn('{"email": ');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('malformed_json');
  });

  it('rejects wrong types without coercing them', async () => {
    const response = await signIn(JSON.stringify({ email: 12345, loginSecret: true }));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
  });

  it('rejects unknown fields instead of ignoring them', async () => {
    const response = await signIn(
      JSON.stringify({ email: 'a@b.nl', loginSecret: 'x'.repeat(43), isAdmin: true }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
  });

  it('rejects an oversized body', async () => {
    const response = await signIn(
      JSON.stringify({ email: 'a@b.nl', loginSecret: 'x'.repeat(2 * 1024 * 1024) }),
    );
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
  });

  it('rejects bodies that are not JSON', async () => {
    const response = await signIn('email=a', { 'content-type': 'text/plain', 'x-zegel-csrf': '1' });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('unsupported_media_type');
  });

  it('rejects a malformed id in the path', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const response = await admin.browser.patch('/api/admin/users/not-a-uuid', { role: 'admin' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
  });

  it('refuses a state-changing request without the CSRF header', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@b.nl', loginSecret: 'x'.repeat(43) }),
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('csrf_check_failed');
  });

  it('turns an unexpected failure into a 500 with only a request id, and logs it', async () => {
    const broken = await createTestApp({
      extend: (app) =>
        app.get('/api/test-boom', { config: { access: 'public' } }, async () => {
          throw new Error('secret internal detail');
        }),
    });
    try {
      const response = await broken.app.inject({ method: 'GET', url: '/api/test-boom' });
      expect(response.statusCode).toBe(500);
      expect(response.json().error).toEqual({
        code: 'internal_error',
        message: expect.any(String),
        requestId: response.headers['x-request-id'],
      });
      expect(response.body).not.toContain('secret internal detail');
      expect(broken.logs.some((l) => l.reqId === response.headers['x-request-id'] && l.level === 50)).toBe(
        true,
      );
    } finally {
      await broken.close();
    }
  });
});
