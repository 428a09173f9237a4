import { describe, expect, it } from 'vitest';
import { graphqlOperationTypes } from '../../functions/core/graphql-operation-types';

describe('graphqlOperationTypes', () => {
  it('reads the type of every operation, shorthand queries and fragments included', () => {
    expect(graphqlOperationTypes('{ me { id } }')).toEqual(['query']);
    expect(graphqlOperationTypes('query Search($q: String!) @live { search(q: $q) { id } }')).toEqual([
      'query',
    ]);
    expect(
      graphqlOperationTypes('fragment F on User { id } query A { me { ...F } } mutation B { logout }'),
    ).toEqual(['query', 'mutation']);
    expect(graphqlOperationTypes('subscription S { ticks }')).toEqual(['subscription']);
  });

  it('is not fooled by words inside strings, block strings, comments or selections', () => {
    expect(
      graphqlOperationTypes(
        'query Q { a(text: "} mutation { x }") b(doc: """ mutation { y } """) # mutation { z }\n mutation: field }',
      ),
    ).toEqual(['query']);
  });

  it('gives null for text it cannot read, so the caller refuses it', () => {
    expect(graphqlOperationTypes('query { a ')).toBeNull();
    expect(graphqlOperationTypes('query { a(s: "open) }')).toBeNull();
    expect(graphqlOperationTypes('extend type Query { a: Int }')).toBeNull();
    expect(graphqlOperationTypes('}{')).toBeNull();
  });
});
