const XRFKEY = /^[A-Za-z0-9]{16}$/;

/** Which Xrfkey rule a request breaks, if any. The query parameter's name is matched without case. */
export function xrfkeyViolation(query: Record<string, unknown>, header: string | undefined): string | undefined {
  const names = Object.keys(query).filter((name) => name.toLowerCase() === 'xrfkey');
  if (names.length === 0) return 'the Xrfkey query parameter is missing';
  const value = query[names[0] as string];
  if (names.length > 1 || Array.isArray(value)) return 'the Xrfkey query parameter is given more than once';
  if (typeof value !== 'string' || !XRFKEY.test(value)) {
    return 'the Xrfkey query parameter must be exactly 16 letters (A-Z, a-z) or digits';
  }
  if (header === undefined) return 'the X-Qlik-Xrfkey header is missing';
  if (header !== value) return 'the X-Qlik-Xrfkey header does not equal the Xrfkey query parameter';
  return undefined;
}
