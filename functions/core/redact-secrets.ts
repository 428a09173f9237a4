// Removes the seal's own secrets (sign-in material) from whatever it writes, in every form a page may echo
// them: as is, URL-encoded, base64 (standard and URL-safe, padded or not), JSON-escaped and HTML-escaped.

export const REDACTED = '[redacted]';

/** A redactor for `secrets`; secrets shorter than 4 characters are not looked for (they would erase words). */
export function secretRedactor(secrets: readonly string[]): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of encodings(secret)) if (form.length >= 4) forms.add(form);
  }
  // Longest first, so a secret's form is not half-replaced by a shorter one inside it.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const form of ordered) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
      if (/%[0-9A-F]{2}/.test(form)) {
        const lower = form.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());
        if (out.includes(lower)) out = out.split(lower).join(REDACTED);
      }
    }
    return out;
  };
}

/** Every string inside `value` (objects, arrays) redacted; other values as they are. A new value. */
export function redactDeep<T>(value: T, redact: (text: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact)) as T;
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = redactDeep(item, redact);
  return out as T;
}

function encodings(secret: string): string[] {
  const base64 = Buffer.from(secret, 'utf8').toString('base64');
  const base64url = Buffer.from(secret, 'utf8').toString('base64url');
  const json = JSON.stringify(secret).slice(1, -1);
  const html = secret
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
  return [
    secret,
    encodeURIComponent(secret),
    encodeURI(secret),
    // A form posts spaces as "+".
    encodeURIComponent(secret).replace(/%20/g, '+'),
    base64,
    base64.replace(/=+$/, ''),
    base64url,
    json,
    // JSON that escapes every non-ASCII character and "/" (some serialisers do).
    json.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`),
    json.replace(/\//g, '\\/'),
    html,
    html.replace(/&#39;/g, '&#x27;'),
  ];
}
