import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS, embedSize } from '../../functions/core/messages/render-discord';
import { buildSealMessage, type SealMessage } from '../../functions/core/messages/seal-message';
import { composeDigests, type DigestMessage, digestLine } from '../../functions/core/relay-digest';
import type { Seal } from '../../functions/core/seal';
import { expectGolden } from '../fixtures/golden';
import {
  greenSeal,
  HOSTILE_TEXT,
  hostileSeal,
  inconclusiveSeal,
  recoveredSeal,
  redSeal,
} from '../fixtures/sample-seals';

/** A nightly seal of another app, as a shared outage produces them. */
function nightly(app: string, seal: Seal): SealMessage {
  return buildSealMessage({
    ...seal,
    id: `${app}:nightly:2026-06-27T03:00:00.000Z`,
    app,
    trigger: 'nightly',
    release: null,
    targetUrl: `https://${app}.example.com`,
    evidence: {
      reportUrl: `https://s3.console.aws.amazon.com/s3/object/smoke-seal-evidence-0123456789ab?region=eu-central-1&prefix=seals%2F${app}%2Fnightly%2Findex.html`,
      error: null,
    },
  });
}

function expectWithinLimits(digest: DigestMessage): void {
  const { payload } = digest;
  expect(payload.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
  expect(payload.embeds.length).toBeGreaterThan(0);
  expect(payload.embeds.length).toBeLessThanOrEqual(10);
  for (const embed of payload.embeds) {
    expect(embed.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(embed.description.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(embed.fields.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    expect(embed.footer.text.length).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
  }
  expect(payload.embeds.reduce((sum, embed) => sum + embedSize(embed), 0)).toBeLessThanOrEqual(
    DISCORD_LIMITS.embedTotal,
  );
  expect(payload.allowed_mentions).toEqual({ parse: [] });
}

/** The seal ids each message's lines name, read back from the payload (by the line's app). */
function linesOf(digest: DigestMessage): string[] {
  return digest.payload.embeds.flatMap((embed) =>
    embed.description.split('\n').filter((line) => /^(🔴|🟡|💚|🟢) /u.test(line)),
  );
}

describe('composeDigests', () => {
  it('lists red first, then inconclusive, recovered and green, by app within each, in one message when it fits', () => {
    const messages = [
      nightly('zeta', greenSeal({ transition: 'first' })),
      nightly('beta', recoveredSeal()),
      nightly('delta', redSeal()),
      nightly('alpha', inconclusiveSeal()),
      nightly('gamma', redSeal({ transition: 'still-red' })),
      nightly('alpha', redSeal()),
    ];
    const [digest, ...rest] = composeDigests(messages);
    expect(rest).toEqual([]);
    expectWithinLimits(digest!);
    expect(digest!.sealIds).toEqual([
      'alpha:nightly:2026-06-27T03:00:00.000Z',
      'delta:nightly:2026-06-27T03:00:00.000Z',
      'gamma:nightly:2026-06-27T03:00:00.000Z',
      'alpha:nightly:2026-06-27T03:00:00.000Z',
      'beta:nightly:2026-06-27T03:00:00.000Z',
      'zeta:nightly:2026-06-27T03:00:00.000Z',
    ]);
    expect(digest!.payload.embeds.map((embed) => embed.title)).toEqual([
      'Red: 3 seals',
      'Inconclusive (checker fault): 1 seal',
      'Recovered: 1 seal',
      'Green: 1 seal',
    ]);
    expect(digest!.payload.content).toBe(
      '**Smoke Seal digest**: 6 seals (3 red, 1 inconclusive, 1 recovered, 1 green)',
    );
    expect(digest!.payload.embeds[0]!.description).toContain('No automatic rollback was performed');
    expect(digest!.payload.embeds[1]!.description).toContain('This is a fault of the checker');
    expect(linesOf(digest!).map((line) => /\*\*(\w+) nightly\*\*/.exec(line)?.[1])).toEqual([
      'alpha',
      'delta',
      'gamma',
      'alpha',
      'beta',
      'zeta',
    ]);
  });

  it('matches the golden digest of one seal of each kind', () => {
    const digests = composeDigests([
      buildSealMessage(redSeal()),
      buildSealMessage(inconclusiveSeal({ id: 'studio:release:2026.06.26.3' })),
      buildSealMessage(recoveredSeal()),
      buildSealMessage(greenSeal({ id: 'studio:manual:2026-06-26T15:00:00.000Z', trigger: 'manual' })),
    ]);
    expect(digests).toHaveLength(1);
    expectGolden('discord/digest.json', `${JSON.stringify(digests[0]!.payload, null, 2)}\n`);
  });

  it('says what changed, the tally, why a red seal failed and links its report, on one line per seal', () => {
    const line = digestLine(nightly('studio', redSeal()));
    expect(line).toBe(
      '🔴 **studio nightly** · went red · 2 of 6 checks failed · tasks: uncaught ReferenceError: x is not defined; up: /up answered 503 · [report](https://s3.console.aws.amazon.com/s3/object/smoke-seal-evidence-0123456789ab?region=eu-central-1&prefix=seals%2Fstudio%2Fnightly%2Findex.html)',
    );
    expect(digestLine(nightly('studio', recoveredSeal()))).toMatch(
      /^💚 \*\*studio nightly\*\* · all 6 checks passed · \[report\]/u,
    );
    expect(digestLine(nightly('studio', inconclusiveSeal()))).toContain(
      '· checker fault, no check ran · Chromium did not start: spawn ENOMEM ·',
    );
  });

  it('makes page text inert: no mention, link, heading or line break of its own', () => {
    const [digest] = composeDigests([buildSealMessage(hostileSeal()), nightly('other', redSeal())]);
    const text = JSON.stringify(digest!.payload);
    expect(digest!.payload.allowed_mentions).toEqual({ parse: [] });
    expect(text).not.toContain('@everyone');
    expect(text).not.toContain('@here');
    expect(text).not.toContain('<@123456789012345678>');
    expect(text).not.toContain('[click](https://evil.example)');
    expect(text).not.toContain('```');
    const hostileLine = linesOf(digest!).find((line) => line.includes('**studio release'))!;
    expect(hostileLine).toContain('@\u200beveryone');
    expect(hostileLine).toContain('\\[click\\]');
    expect(hostileLine).toContain('\\<@\u200b123456789012345678\\>');
    expect(hostileLine).not.toContain('\n');
    // The forged "Rollback command:" line stays inside the seal's own line.
    for (const line of digest!.payload.embeds[0]!.description.split('\n')) {
      expect(line.startsWith('#')).toBe(false);
    }
    expect(HOSTILE_TEXT).toContain('\n# Rollback command:');
  });

  it('bounds each line: a long failure is cut, an over-long report URL is left out rather than broken', () => {
    const long = 'x'.repeat(5_000);
    const seal = redSeal({
      summary: long,
      checks: redSeal().checks.map((check) => ({ ...check, error: check.error ? long : null })),
      evidence: { reportUrl: `https://evidence.example.com/${'a'.repeat(600)}`, error: null },
    });
    const line = digestLine(buildSealMessage(seal));
    expect(line.length).toBeLessThan(500);
    expect(line).toContain('… [truncated]');
    expect(line).not.toContain('[report]');
    const parens = digestLine(
      buildSealMessage(
        redSeal({ evidence: { reportUrl: 'https://evidence.example.com/a (1)/report.html', error: null } }),
      ),
    );
    expect(parens).toContain('[report](https://evidence.example.com/a%20%281%29/report.html)');
  });

  it('splits a large digest into messages within every Discord limit, naming each seal exactly once, in order', () => {
    const kinds = [redSeal, inconclusiveSeal, recoveredSeal, greenSeal] as const;
    const long = 'y'.repeat(300);
    const messages = Array.from({ length: 240 }, (_, index) => {
      const app = `app-${String(index).padStart(3, '0')}-${'n'.repeat(30)}`;
      const make = kinds[index % kinds.length]!;
      const seal = make({ summary: `red: ${long}`, toolingError: long });
      return nightly(app, {
        ...seal,
        checks: seal.checks.map((check) => ({ ...check, error: check.error && long })),
      });
    });

    const digests = composeDigests(messages);

    expect(digests.length).toBeGreaterThan(5);
    for (const digest of digests) {
      expectWithinLimits(digest);
      expect(linesOf(digest)).toHaveLength(digest.sealIds.length);
    }
    const named = digests.flatMap((digest) => digest.sealIds);
    expect(named).toHaveLength(240);
    expect(new Set(named).size).toBe(240);
    expect(new Set(named)).toEqual(new Set(messages.map((message) => message.sealId)));
    // Red first across the whole digest: a later message never holds a kind earlier than the previous one's last.
    const kindsInOrder = digests.flatMap((digest) =>
      digest.payload.embeds.map((embed) => embed.title.replace(/ \(continued\)$/, '').split(':')[0]!),
    );
    const order = ['Red', 'Inconclusive (checker fault)', 'Recovered', 'Green'];
    const indexes = kindsInOrder.map((kind) => order.indexOf(kind));
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(digests[0]!.payload.content).toBe(
      `**Smoke Seal digest**: 240 seals (60 red, 60 inconclusive, 60 recovered, 60 green), part 1 of ${digests.length}`,
    );
    expect(digests.at(-1)!.payload.content).toMatch(
      new RegExp(`part ${digests.length} of ${digests.length}$`),
    );
  });

  it('fills each message up to 6,000 characters, a kind continuing in a second embed past 4,096', () => {
    const messages = Array.from({ length: 60 }, (_, index) => nightly(`app-${index}`, redSeal()));
    const digests = composeDigests(messages);
    expect(digests.length).toBeGreaterThan(1);
    for (const digest of digests.slice(0, -1)) {
      expectWithinLimits(digest);
      const size = digest.payload.embeds.reduce((sum, embed) => sum + embedSize(embed), 0);
      // The next line (about 250 characters) did not fit under 6,000.
      expect(size).toBeGreaterThan(DISCORD_LIMITS.embedTotal - 400);
      expect(digest.payload.embeds.map((embed) => embed.title)).toEqual([
        `Red: ${digest.sealIds.length} seals`,
        'Red (continued)',
      ]);
    }
  });
});
