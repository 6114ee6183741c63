/**
 * Reads a request header case-insensitively. API Gateway (payload 2.0) already lowercases names,
 * but the local server and hand-built test events may not, and a missed header must never turn
 * into a silently skipped check (If-Match, Origin).
 */
export function headerOf(
  headers: Readonly<Record<string, string | undefined>> | undefined,
  name: string,
): string | null {
  if (!headers) return null;
  const wanted = name.toLowerCase();
  const direct = headers[wanted];
  if (direct !== undefined) return direct;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return null;
}

/**
 * The entity tag an `If-Match` header names, without `W/` and quotes, so it compares directly
 * with stored etags. `*` is kept as is; an empty header counts as absent.
 */
export function parseIfMatch(header: string | null): string | null {
  if (header === null) return null;
  let value = header.trim();
  if (value.startsWith('W/')) value = value.slice(2);
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  return value === '' ? null : value;
}
