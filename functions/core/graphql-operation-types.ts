// The operation types of a GraphQL document, found by a tokenizer that knows only what it must: strings,
// block strings, comments and braces, so a `mutation` inside a string or a selection is never one.

export type GraphqlOperationType = 'query' | 'mutation' | 'subscription';

/** Documents larger than this are not judged (refused as writes): a smoke page's queries are far smaller. */
export const MAX_GRAPHQL_DOCUMENT_CHARS = 512 * 1024;

/**
 * Each top-level definition's operation type, in order (`{ … }` shorthand is a query; fragments are
 * skipped); null when the text is not a document this tokenizer can read (unbalanced braces, an
 * unterminated string, a definition it does not know), which a caller treats as "not a read".
 */
export function graphqlOperationTypes(document: string): GraphqlOperationType[] | null {
  if (document.length > MAX_GRAPHQL_DOCUMENT_CHARS) return null;
  const types: GraphqlOperationType[] = [];
  let depth = 0;
  let expectDefinition = true;
  let i = 0;
  const n = document.length;
  while (i < n) {
    const c = document[i]!;
    if (c === '#') {
      while (i < n && document[i] !== '\n' && document[i] !== '\r') i++;
      continue;
    }
    if (c === '"') {
      if (document.startsWith('"""', i)) {
        const end = findBlockStringEnd(document, i + 3);
        if (end < 0) return null;
        i = end + 3;
      } else {
        i++;
        while (i < n && document[i] !== '"') {
          if (document[i] === '\n' || document[i] === '\r') return null;
          i += document[i] === '\\' ? 2 : 1;
        }
        if (i >= n) return null;
        i++;
      }
      continue;
    }
    if (c === '{' || c === '(' || c === '[') {
      if (depth === 0 && c === '{' && expectDefinition) types.push('query');
      if (depth === 0 && c === '{') expectDefinition = false;
      depth++;
      i++;
      if (depth > 512) return null;
      continue;
    }
    if (c === '}' || c === ')' || c === ']') {
      depth--;
      if (depth < 0) return null;
      if (depth === 0 && c === '}') expectDefinition = true;
      i++;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(document[j]!)) j++;
      const word = document.slice(i, j);
      if (depth === 0 && expectDefinition) {
        if (word === 'query' || word === 'mutation' || word === 'subscription') types.push(word);
        else if (word !== 'fragment') return null;
        // The definition's name, variables and directives follow; its selection set closes it.
        expectDefinition = false;
      }
      i = j;
      continue;
    }
    i++;
  }
  if (depth !== 0) return null;
  return types;
}

function findBlockStringEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const at = text.indexOf('"""', i);
    if (at < 0) return -1;
    if (text[at - 1] === '\\') {
      i = at + 3;
      continue;
    }
    return at;
  }
  return -1;
}
