import { describe, expect, it } from 'vitest';
import { renderDiscord } from '../../../functions/core/messages/render-discord';
import { renderEmail } from '../../../functions/core/messages/render-email';
import { renderReleaseRecord } from '../../../functions/core/messages/render-release-record';
import { buildSealMessage } from '../../../functions/core/messages/seal-message';
import { HOSTILE_TEXT, hostileSeal } from '../../fixtures/sample-seals';

const message = buildSealMessage(hostileSeal());

describe('page-derived text with mentions, markdown, backticks and line breaks', () => {
  it('is present in the fixture, so the assertions below can fail', () => {
    expect(HOSTILE_TEXT).toMatch(/@everyone/);
    expect(HOSTILE_TEXT).toMatch(/\r\n# Rollback command:/);
    expect(hostileSeal().checks[0]!.error).toBe(HOSTILE_TEXT);
  });

  it('arrives in the email on one line, unable to forge a line of its own', () => {
    const { subject, body } = renderEmail(message);
    expect(subject).not.toMatch(/[\r\n]/);
    expect(body).not.toContain('\r');
    const lines = body.split('\n');
    expect(lines.filter((line) => line.startsWith('Rollback command'))).toHaveLength(1);
    expect(lines.some((line) => line.trim().startsWith('# Rollback') || line.trim() === 'rm -rf /')).toBe(
      false,
    );
    const checkLine = lines.find((line) => line.startsWith('  - home'));
    expect(checkLine).toContain('@everyone');
    expect(checkLine).toContain('rm -rf /');
  });

  it('arrives in Discord unable to ping, format, link or open a code block', () => {
    const discord = renderDiscord(message);
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    const [embed] = discord.embeds;
    const texts = [
      discord.content,
      embed.title,
      embed.description,
      ...embed.fields.flatMap((f) => [f.name, f.value]),
    ];
    const hostile = texts.filter((text) => text.includes('everyone'));
    expect(hostile.length).toBeGreaterThan(0);
    for (const text of texts) {
      expect(text).not.toMatch(/@everyone|@here/);
      expect(text).not.toMatch(/(^|[^\\])<@/);
      expect(text).not.toContain('**bold**');
      expect(text).not.toContain('[click](');
      expect(text).not.toContain('```js');
      expect(text).not.toContain('\r');
    }
    for (const field of embed.fields.filter((f) => f.value.includes('everyone'))) {
      expect(field.value).not.toContain('\n');
      // every backtick from the page is escaped, so no inline code or fence opens
      expect(field.value.replace(/\\`/g, '')).not.toContain('`');
    }
    // The only code block is the real rollback command.
    const blocks = embed.fields.filter((f) => f.value.startsWith('```'));
    expect(blocks.map((f) => f.name)).toEqual([
      'Rollback command (not run: paste it if you decide to roll back)',
    ]);
  });

  it('arrives in the Release record notes as inert markdown on one line', () => {
    const record = renderReleaseRecord(message);
    expect(record.summary).not.toMatch(/[\r\n]/);
    expect(record.notes_markdown).not.toMatch(/@everyone|@here|\r|\*\*bold\*\*|\[click\]\(|```js/);
    const lines = record.notes_markdown.split('\n');
    expect(lines.some((line) => line.startsWith('#'))).toBe(false);
    expect(lines.filter((line) => line.startsWith('```'))).toEqual(['```sh', '```']);
  });
});
