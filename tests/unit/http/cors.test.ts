import { afterEach, describe, expect, it, vi } from 'vitest';
import { corsPreflightHeaders } from '#http/cors.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('corsPreflightHeaders', () => {
  it('grants the API methods and headers to an allowed origin', () => {
    vi.stubEnv('CORS_ALLOWED_ORIGINS', 'http://localhost:*');
    expect(corsPreflightHeaders('http://localhost:8080')).toEqual({
      'access-control-allow-origin': 'http://localhost:8080',
      'access-control-allow-methods': 'GET, PUT, POST, PATCH, DELETE, OPTIONS',
      'access-control-allow-headers':
        'Authorization, Content-Type, If-Match, Idempotency-Key, Accept-Language',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
  });

  it('grants nothing to another origin', () => {
    vi.stubEnv('CORS_ALLOWED_ORIGINS', 'https://app.example.vn');
    expect(corsPreflightHeaders('https://app.example.vn.evil.io')).toEqual({ vary: 'Origin' });
    expect(corsPreflightHeaders(null)).toEqual({ vary: 'Origin' });
  });
});
