import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EventError } from '../../functions/core/errors';
import {
  ManualEventSchema,
  NightlyEventSchema,
  parseSealEvent,
  ReleaseShippedEventSchema,
} from '../../functions/core/seal-event';
import { triggerFromEvent } from '../../functions/core/trigger-from-event';

const EVENTS_DIR = join(import.meta.dirname, '../../docs/events');
const match = { source: 'deploy.release-tooling', detailType: 'Release Shipped' };

function example(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(EVENTS_DIR, 'examples', name), 'utf8'));
}

function errorOf(raw: unknown): string {
  try {
    parseSealEvent(raw, match);
  } catch (error) {
    expect(error).toBeInstanceOf(EventError);
    return (error as Error).message;
  }
  throw new Error('expected the event to be refused');
}

describe('the published example events', () => {
  it.each(readdirSync(join(EVENTS_DIR, 'examples')))('%s parses', (name) => {
    expect(() => parseSealEvent(example(name), match)).not.toThrow();
  });
});

describe('parseSealEvent', () => {
  it('reads a Release Shipped event into a release trigger with every field', () => {
    const parsed = parseSealEvent(example('release-shipped.json'), match);
    const trigger = triggerFromEvent(parsed, { requestId: 'r-1', now: new Date(), timeZone: 'UTC' });
    expect(trigger).toEqual({
      trigger: 'release',
      smokeUrl: undefined,
      release: {
        releaseId: '2026.06.26.1',
        version: '2026.06.26.1',
        commit: '3f9c2ab7d41e0c5b8a6f1e2d3c4b5a69788f0e1d',
        mergeCommit: '9b1d4e7c2a3f5b6d8e0f1a2b3c4d5e6f7a8b9c0d',
        branch: 'main',
        notesThreadId: '1234567890123456789',
        releaseUrl: 'https://ops.example.com/releases/2026.06.26.1',
      },
    });
  });

  it('ignores unknown fields', () => {
    const event = example('release-shipped.json');
    (event.detail as Record<string, unknown>).deployer = 'ci-bot';
    expect(() => parseSealEvent({ ...event, extra: true }, match)).not.toThrow();
  });

  it('names the path of a malformed field', () => {
    const event = example('release-shipped.json');
    (event.detail as Record<string, unknown>).mergeCommit = 'HEAD; rm -rf /';
    expect(errorOf(event)).toBe('detail.mergeCommit: expected 7-40 hex characters (a git SHA, lower case)');
  });

  it('refuses a release link too long to keep, naming the field, whatever else it is', () => {
    const event = example('release-shipped.json');
    (event.detail as Record<string, unknown>).links = {
      release: `https://releases.example.com/${'r'.repeat(310 * 1024)}`,
    };
    expect(errorOf(event)).toBe('detail.links.release: expected a URL of at most 2,000 characters');
  });

  it('refuses an envelope field too long to keep, naming it', () => {
    expect(errorOf({ ...example('release-shipped.json'), id: 'i'.repeat(300) })).toBe(
      'id: expected at most 256 characters',
    );
  });

  it('names the path of a missing field', () => {
    const event = example('release-shipped.json');
    delete (event.detail as Record<string, unknown>).releaseId;
    expect(errorOf(event)).toMatch(/^detail\.releaseId: /);
  });

  it('refuses a release event from another source or detail-type, saying what is configured', () => {
    expect(errorOf({ ...example('release-shipped.json'), 'detail-type': 'Release Started' })).toContain(
      'expected "Release Shipped" from "deploy.release-tooling"',
    );
  });

  it('refuses a newer contract version it cannot read', () => {
    const event = example('release-shipped.json');
    (event.detail as Record<string, unknown>).schemaVersion = 2;
    expect(errorOf(event)).toMatch(/^detail\.schemaVersion: expected 1/);
  });

  it('refuses an event that is neither a release, a nightly nor a manual one', () => {
    expect(errorOf({ trigger: 'hourly', app: 'studio' })).toMatch(
      /^trigger: expected a Release Shipped event/,
    );
    expect(errorOf([])).toMatch(/^event: expected a JSON object/);
  });

  it('makes a nightly seal id from the scheduled night in the configured time zone', () => {
    const parsed = parseSealEvent(
      { trigger: 'nightly', app: 'studio', scheduledAt: '2026-06-27T01:00:00Z' },
      match,
    );
    const trigger = triggerFromEvent(parsed, {
      requestId: 'r',
      now: new Date(),
      timeZone: 'America/New_York',
    });
    expect(trigger).toEqual({ trigger: 'nightly', night: '2026-06-26' });
  });

  it('gives a manual run the invocation id when it names no request id', () => {
    const parsed = parseSealEvent({ trigger: 'manual', app: 'studio' }, match);
    expect(
      triggerFromEvent(parsed, { requestId: 'lambda-req-7', now: new Date(), timeZone: 'UTC' }),
    ).toMatchObject({
      trigger: 'manual',
      requestId: 'lambda-req-7',
    });
  });
});

describe('the JSON Schemas in docs/events', () => {
  const schemas = {
    'release-shipped.schema.json': ReleaseShippedEventSchema,
    'nightly.schema.json': NightlyEventSchema,
    'manual.schema.json': ManualEventSchema,
  };
  it.each(Object.entries(schemas))(
    '%s matches the zod schema (UPDATE_SCHEMAS=1 rewrites it)',
    (file, schema) => {
      const generated = `${JSON.stringify(z.toJSONSchema(schema, { io: 'input' }), null, 2)}\n`;
      const path = join(EVENTS_DIR, file);
      if (process.env.UPDATE_SCHEMAS === '1') writeFileSync(path, generated);
      expect(readFileSync(path, 'utf8')).toBe(generated);
    },
  );
});
