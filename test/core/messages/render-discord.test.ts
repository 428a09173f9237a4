import { describe, expect, it } from 'vitest';
import {
  DISCORD_COLORS,
  DISCORD_LIMITS,
  type DiscordMessage,
  embedSize,
  renderDiscord,
} from '../../../functions/core/messages/render-discord';
import { buildSealMessage } from '../../../functions/core/messages/seal-message';
import type { Seal } from '../../../functions/core/seal';
import { expectGolden } from '../../fixtures/golden';
import { greenSeal, inconclusiveSeal, recoveredSeal, redSeal } from '../../fixtures/sample-seals';

const cases: Record<string, Seal> = {
  green: greenSeal(),
  red: redSeal(),
  inconclusive: inconclusiveSeal(),
  recovered: recoveredSeal(),
};

function discordFor(seal: Seal): DiscordMessage {
  return renderDiscord(buildSealMessage(seal));
}

function expectWithinLimits(message: DiscordMessage): void {
  const [embed] = message.embeds;
  expect(message.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
  expect(embed.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
  expect(embed.description.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
  expect(embed.fields.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
  for (const field of embed.fields) {
    expect(field.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
    expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    expect(field.value.length).toBeGreaterThan(0);
  }
  expect(embedSize(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
}

describe('renderDiscord', () => {
  for (const [name, seal] of Object.entries(cases)) {
    it(`renders the ${name} post as in its golden file`, () => {
      expectGolden(`discord/${name}.json`, `${JSON.stringify(discordFor(seal), null, 2)}\n`);
    });
  }

  it('colours the one embed by status', () => {
    expect(discordFor(greenSeal()).embeds[0].color).toBe(DISCORD_COLORS.green);
    expect(discordFor(redSeal()).embeds[0].color).toBe(DISCORD_COLORS.red);
    expect(discordFor(inconclusiveSeal()).embeds[0].color).toBe(DISCORD_COLORS.inconclusive);
    expect(new Set(Object.values(DISCORD_COLORS)).size).toBe(3);
  });

  it('puts the rollback command in a code block, and allows no mentions at all', () => {
    const message = discordFor(redSeal());
    const rollback = message.embeds[0].fields.find((field) => field.name.startsWith('Rollback command'));
    expect(rollback?.value).toBe(
      '```sh\ngit revert -m 1 0a1b2c3d4e5f60718293a4b5c6d7e8f901234567 && git push origin prod\n```',
    );
    expect(message.allowed_mentions).toEqual({ parse: [] });
  });

  it('links the report only when it is a web address', () => {
    expect(discordFor(redSeal()).embeds[0].url).toBe(
      'https://evidence.example.com/studio/2026.06.26.1/report.html',
    );
    const local = discordFor(
      redSeal({ evidence: { reportUrl: '/home/me/.smoke-seal/reports/x/report.html', error: null } }),
    );
    expect(local.embeds[0].url).toBeUndefined();
    expect(local.embeds[0].fields.find((field) => field.name === 'Report')?.value).toContain('report.html');
  });

  it('stays within every Discord limit when forty checks fail with long errors, and says how many it left out', () => {
    const failing = Array.from({ length: 40 }, (_, index) => ({
      ...redSeal().checks[2]!,
      name: `check-${index}-${'n'.repeat(300)}`,
      error: `error ${index} ${'e'.repeat(2000)}`,
    }));
    const message = discordFor(redSeal({ checks: failing, summary: `red: ${'s'.repeat(9000)}` }));
    expectWithinLimits(message);
    const names = message.embeds[0].fields.map((field) => field.name);
    expect(names.some((name) => /^… and \d+ more failed checks$/.test(name))).toBe(true);
    expect(names.some((name) => name.startsWith('Rollback command'))).toBe(true);
    expect(message.embeds[0].description).toContain('truncated');
  });

  it('keeps the fields that matter when 20 checks fail, and summarises the failed checks it leaves out', () => {
    const failing = Array.from({ length: 20 }, (_, index) => ({
      ...redSeal().checks[2]!,
      name: `check-${index}`,
      path: `/page-${index}`,
      error: `error ${index}`,
    }));
    const unfinished = {
      ...redSeal().checks[0]!,
      name: 'slow',
      outcome: 'unfinished' as const,
      error: 'cut off',
    };
    const message = discordFor(
      redSeal({
        checks: [...failing, unfinished],
        evidence: {
          reportUrl: 'https://evidence.example.com/r/index.html',
          error: '03-tasks-attempt1.png: bucket unreachable',
        },
      }),
    );
    expectWithinLimits(message);
    const names = message.embeds[0].fields.map((field) => field.name);
    expect(names).toHaveLength(25);
    for (const kept of [
      'Not finished before the deadline',
      'Checks',
      'Release',
      'Target',
      'Report',
      'Evidence incomplete',
    ]) {
      expect(names).toContain(kept);
    }
    expect(names.some((name) => name.startsWith('Rollback command'))).toBe(true);
    const more = message.embeds[0].fields.find((field) => /^… and \d+ more failed checks$/.test(field.name));
    const listed = names.filter((name) => name.startsWith('❌')).length;
    expect(more?.name).toBe(`… and ${20 - listed} more failed checks`);
    expect(more?.value).toContain('check-19');
  });

  it('stays within the limits for every sample seal', () => {
    for (const seal of Object.values(cases)) expectWithinLimits(discordFor(seal));
  });
});
