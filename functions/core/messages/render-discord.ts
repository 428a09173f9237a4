// The release-notes post: a Discord webhook body with one embed, within Discord's limits.
import { escapeMarkdown } from './escape-markdown';
import {
  type MessageKind,
  NO_AUTOMATIC_ROLLBACK,
  type SealMessage,
  TOOLING_FAULT_NOTE,
} from './seal-message';
import { truncate } from './truncate';

export interface DiscordField {
  readonly name: string;
  readonly value: string;
  readonly inline?: boolean;
}

export interface DiscordEmbed {
  readonly title: string;
  readonly url?: string;
  readonly description: string;
  readonly color: number;
  readonly fields: readonly DiscordField[];
  readonly timestamp: string;
  readonly footer: { readonly text: string };
}

/** The body of `POST /webhooks/{id}/{token}`. */
export interface DiscordMessage {
  readonly content: string;
  readonly embeds: readonly [DiscordEmbed];
  /** Empty parse list: no @everyone, @here, role or user ping, whatever the text says. */
  readonly allowed_mentions: { readonly parse: readonly [] };
}

/** Discord's documented limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const DISCORD_LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  embedTotal: 6000,
} as const;

export const DISCORD_COLORS: Readonly<Record<MessageKind, number>> = {
  green: 0x2e9f5b,
  recovered: 0x2e9f5b,
  red: 0xd93f3f,
  inconclusive: 0xe8a317,
};

/** Fields for failed checks, leaving room for the summary fields and an "and N more" line. */
const MAX_CHECK_FIELDS = 18;

export function renderDiscord(message: SealMessage): DiscordMessage {
  const headline = escapeMarkdown(`${message.title} (${message.tally})`);
  const embedFor = (shownChecks: number, descriptionMax: number): DiscordEmbed => ({
    title: truncate(headline, DISCORD_LIMITS.title),
    ...(message.reportUrl ? { url: message.reportUrl } : {}),
    description: truncate(description(message), descriptionMax),
    color: DISCORD_COLORS[message.kind],
    fields: fields(message, shownChecks),
    timestamp: message.checkedAt,
    footer: {
      text: truncate(`Smoke Seal · ${message.trigger} · seal ${message.sealId}`, DISCORD_LIMITS.footer),
    },
  });
  // Discord refuses an embed over 6,000 characters in all: list fewer checks, then cut the description.
  let shown = Math.min(message.failedChecks.length, MAX_CHECK_FIELDS);
  let embed = embedFor(shown, DISCORD_LIMITS.description);
  while (embedSize(embed) > DISCORD_LIMITS.embedTotal && shown > 0) {
    shown--;
    embed = embedFor(shown, DISCORD_LIMITS.description);
  }
  const over = embedSize(embed) - DISCORD_LIMITS.embedTotal;
  if (over > 0) embed = embedFor(shown, embed.description.length - over);
  return {
    content: truncate(headline, DISCORD_LIMITS.content),
    embeds: [embed],
    allowed_mentions: { parse: [] },
  };
}

/** What Discord counts towards the 6,000: title, description, field names and values, footer. */
export function embedSize(embed: DiscordEmbed): number {
  return (
    embed.title.length +
    embed.description.length +
    embed.footer.text.length +
    embed.fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

function description(message: SealMessage): string {
  const parts = [escapeMarkdown(message.summary)];
  if (message.kind === 'red') parts.push(`**${NO_AUTOMATIC_ROLLBACK}**`);
  if (message.kind === 'inconclusive') {
    parts.push(`**${TOOLING_FAULT_NOTE}**`, `What broke: ${escapeMarkdown(message.toolingError ?? '')}`);
  }
  if (message.kind === 'recovered') parts.push('Passing every check again after a red seal.');
  return parts.join('\n\n');
}

function fields(message: SealMessage, shownChecks: number): DiscordField[] {
  // The fields that matter are always kept (rollback, counts, release, target, report, evidence);
  // failed checks fill the room left under Discord's 25 fields, and the rest are summarised.
  const kept = keptFields(message);
  const room = DISCORD_LIMITS.fields - kept.length;
  const failed = message.failedChecks;
  let shown = Math.min(shownChecks, failed.length, room);
  if (shown < failed.length && shown + 1 > room) shown = Math.max(0, room - 1);
  const out: DiscordField[] = [];
  for (const check of failed.slice(0, shown)) {
    out.push(
      field(`❌ ${escapeMarkdown(check.name)} (${escapeMarkdown(check.path)})`, escapeMarkdown(check.detail)),
    );
  }
  const more = failed.length - shown;
  if (more > 0)
    out.push(
      field(
        `… and ${more} more failed checks`,
        truncate(
          `${failed
            .slice(shown)
            .map((check) => escapeMarkdown(check.name))
            .join(', ')}: see the report.`,
          DISCORD_LIMITS.fieldValue,
        ),
      ),
    );
  return [...out, ...kept].slice(0, DISCORD_LIMITS.fields);
}

function keptFields(message: SealMessage): DiscordField[] {
  const out: DiscordField[] = [];
  if (message.unfinishedChecks.length > 0) {
    out.push(field('Not finished before the deadline', escapeMarkdown(message.unfinishedChecks.join(', '))));
  }
  if (message.rollbackCommand !== null) {
    out.push(
      field(
        'Rollback command (not run: paste it if you decide to roll back)',
        codeBlock(message.rollbackCommand),
      ),
    );
  } else if (message.rollbackUnavailable !== null) {
    out.push(field('No rollback command', escapeMarkdown(message.rollbackUnavailable)));
  }
  const { passed, total } = message.counts;
  out.push(field('Checks', total === 0 ? 'none ran' : `${passed} of ${total} passed`, true));
  if (message.release) {
    const label = message.release.version ?? message.release.id;
    const value = message.release.url
      ? `[${escapeMarkdown(label)}](${linkTarget(message.release.url)})`
      : escapeMarkdown(label);
    out.push(field('Release', value, true));
  }
  out.push(field('Target', escapeMarkdown(message.targetUrl), true));
  if (message.changes !== null) out.push(field('Since the last green seal', escapeMarkdown(message.changes)));
  if (message.commitRange) {
    const { compareUrl, commits, more } = message.commitRange;
    const listed = commits
      .slice(0, 5)
      .map(
        (commit) =>
          `\`${commit.sha.slice(0, 7)}\` ${escapeMarkdown(commit.title)} (${escapeMarkdown(commit.author)})`,
      );
    const rest = commits.length - listed.length + more;
    out.push(
      field(
        'Commits since the last green seal',
        [`[Compare](${linkTarget(compareUrl)})`, ...listed, ...(rest > 0 ? [`… and ${rest} more`] : [])].join(
          '\n',
        ),
      ),
    );
  }
  if (message.reportUrl) out.push(field('Report', `[Open the report](${linkTarget(message.reportUrl)})`));
  else if (message.reportLocation) out.push(field('Report', escapeMarkdown(message.reportLocation)));
  if (message.evidenceError !== null)
    out.push(field('Evidence incomplete', escapeMarkdown(message.evidenceError)));
  return out;
}

function field(name: string, value: string, inline = false): DiscordField {
  const fitted = {
    name: truncate(name, DISCORD_LIMITS.fieldName),
    value: truncate(value || '\u200b', DISCORD_LIMITS.fieldValue),
  };
  return inline ? { ...fitted, inline } : fitted;
}

/** A fenced block the command cannot break out of (it is validated, but the template is free text). */
function codeBlock(command: string): string {
  const inner = command.replace(/`/g, '`\u200b');
  const max = DISCORD_LIMITS.fieldValue - '```sh\n\n```'.length;
  return `\`\`\`sh\n${truncate(inner, max)}\n\`\`\``;
}

/** Parentheses and spaces would end a markdown link early. */
export function linkTarget(url: string): string {
  return url.replace(
    /[()\s<>]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}
