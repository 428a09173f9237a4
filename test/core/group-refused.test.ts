import { describe, expect, it } from 'vitest';
import { groupRefused } from '../../functions/core/group-refused';

const ws = { method: 'WEBSOCKET', url: 'ws://127.0.0.1:1880/comms', reason: 'WebSocket blocked', count: 1 };
const post = {
  method: 'POST',
  url: 'https://app.test/analytics/collect',
  reason: 'mutating request blocked',
  count: 1,
};

describe('groupRefused', () => {
  it("groups refusals by method and URL, adding up the guard's counts", () => {
    expect(groupRefused([ws, post, ws, ws])).toEqual([
      { method: 'WEBSOCKET', url: ws.url, count: 3, reason: ws.reason },
      { method: 'POST', url: post.url, count: 1, reason: post.reason },
    ]);
  });

  it('adds the counts the guard already grouped', () => {
    expect(groupRefused([{ ...post, count: 3 }, post])).toEqual([
      { method: 'POST', url: post.url, count: 4, reason: post.reason },
    ]);
  });
});
