// Whether a request that carries a body only reads: a GraphQL request whose operations are all queries,
// or an endpoint the app lists as read-only (`apps[].readOnly.allow`). Pure; the proxy supplies the body.
import { graphqlOperationTypes } from './graphql-operation-types';

export type BodyReadDecision =
  | { readonly read: true; readonly reason: string }
  | {
      readonly read: false;
      readonly reason: string;
      /** An automatic persisted query sent without its text: asking for the text lets it be judged. */
      readonly askForQueryText?: boolean;
    };

export interface BodyRequest {
  readonly method: string;
  /** The path, without the query string. */
  readonly path: string;
  readonly contentType: string;
  readonly body: Buffer;
  /** `["POST /api/search"]`: method and exact path; a path ending in `*` is a prefix. */
  readonly allow: readonly string[];
}

/** The listed entry this request matches, or null. */
export function matchReadOnlyAllow(method: string, path: string, allow: readonly string[]): string | null {
  for (const entry of allow) {
    const [listedMethod, listedPath] = entry.trim().split(/\s+/) as [string, string | undefined];
    if (!listedPath || listedMethod.toUpperCase() !== method) continue;
    if (listedPath.endsWith('*') ? path.startsWith(listedPath.slice(0, -1)) : path === listedPath)
      return entry;
  }
  return null;
}

export function judgeBodyRead(request: BodyRequest): BodyReadDecision {
  const listed = matchReadOnlyAllow(request.method, request.path, request.allow);
  if (listed) return { read: true, reason: `listed as read-only in readOnly.allow ("${listed}")` };
  if (request.method !== 'POST') return { read: false, reason: `${request.method} is not read-only` };
  const type = request.contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/graphql') return judgeDocuments([request.body.toString('utf8')]);
  if (type !== 'application/json' && !type.endsWith('+json')) {
    return { read: false, reason: 'POST is not read-only' };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(request.body.toString('utf8'));
  } catch {
    return { read: false, reason: 'POST is not read-only' };
  }
  const operations = Array.isArray(payload) ? payload : [payload];
  if (operations.length === 0 || !operations.every(isGraphqlRequest)) {
    return { read: false, reason: 'POST is not read-only' };
  }
  const documents = operations.map((operation) => operation.query);
  if (documents.some((document) => typeof document !== 'string')) {
    const persisted = operations.every((operation) => operation.extensions?.persistedQuery !== undefined);
    return {
      read: false,
      reason: 'a persisted GraphQL query without its text cannot be judged a read',
      askForQueryText: persisted,
    };
  }
  return judgeDocuments(documents as string[]);
}

/** A GraphQL query string from a GET's `query` parameter: null when it only reads, else why not. */
export function judgeGraphqlGet(query: string): string | null {
  const decision = judgeDocuments([query]);
  return decision.read ? null : decision.reason;
}

function judgeDocuments(documents: readonly string[]): BodyReadDecision {
  const types = documents.map((document) => graphqlOperationTypes(document));
  if (types.some((list) => list === null || list.length === 0)) {
    return { read: false, reason: 'a GraphQL document that could not be read is not judged a read' };
  }
  const writes = types.flat().filter((type) => type !== 'query');
  if (writes.length > 0) return { read: false, reason: `GraphQL ${writes[0]} is not read-only` };
  return { read: true, reason: 'GraphQL query' };
}

interface GraphqlRequest {
  readonly query?: unknown;
  readonly extensions?: { readonly persistedQuery?: unknown };
}

function isGraphqlRequest(value: unknown): value is GraphqlRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.query === 'string' ||
    (typeof record.extensions === 'object' &&
      record.extensions !== null &&
      'persistedQuery' in (record.extensions as object))
  );
}
