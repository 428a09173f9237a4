// Which fixtures a test, hook or fixture function asks for: Playwright's rule, its first parameter's destructuring.

/**
 * The names destructured in a function's first parameter (`async ({ page, request: api }) => …`
 * asks for page and request). A function that takes no parameter asks for nothing; one whose first
 * parameter is not a destructuring pattern is refused, as Playwright refuses it.
 */
export function fixtureNeeds(fn: (...args: never[]) => unknown, what: string): string[] {
  const source = Function.prototype.toString.call(fn);
  const params = firstParameter(source);
  if (params === null || params.trim() === '') return [];
  const trimmed = params.trim();
  if (!trimmed.startsWith('{')) {
    throw new Error(
      `${what}: its first argument must use object destructuring, e.g. async ({ page }) => …, as in Playwright Test (got "${trimmed.slice(0, 40)}")`,
    );
  }
  const body = matchingBrace(trimmed);
  return splitTopLevel(body)
    .map((part) => part.trim())
    .filter((part) => part !== '' && !part.startsWith('...'))
    .map((part) => /^([A-Za-z_$][\w$]*)/.exec(part)?.[1])
    .filter((name): name is string => name !== undefined);
}

/** The text of the first parameter, or null when the function has no parameter list we can read. */
function firstParameter(source: string): string | null {
  let text = source.trim();
  text = text.replace(/^async\s*/, '');
  if (/^[A-Za-z_$][\w$]*\s*=>/.test(text)) return text.slice(0, text.indexOf('=>')).trim();
  const open = text.indexOf('(');
  if (open < 0) return null;
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (depth === 0) return text.slice(start, i);
    } else if (c === ',' && depth === 1) return text.slice(start, i);
    if (i === open) start = open + 1;
  }
  return null;
}

function matchingBrace(text: string): string {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') {
      depth--;
      if (depth === 0) return text.slice(1, i);
    }
  }
  return text.slice(1);
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts;
}
