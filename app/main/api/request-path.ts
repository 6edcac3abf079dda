/**
 * The path of an HTTP request target, read without anything that can throw.
 * A request target comes from whoever opened the socket: `new URL()` throws
 * on `//[`, `decodeURIComponent` on `%E0%A4%A` or `%ff`, and an exception in
 * a server's request handler ends the station. Here a target that is not a
 * path gives null (the server answers 400), never an exception.
 */

/** The raw path of an origin-form target (`/a/b?q`): up to `?` or `#`, still percent-encoded; null for any other form. */
export function requestPath(target: string | undefined): string | null {
  if (typeof target !== 'string' || !target.startsWith('/')) return null;
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

/** The path with its percent-escapes decoded; null when the target is not a path or an escape is not valid UTF-8. */
export function decodedRequestPath(target: string | undefined): string | null {
  const raw = requestPath(target);
  if (raw === null) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}
