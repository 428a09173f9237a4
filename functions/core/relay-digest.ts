// The Discord digest: several seals bound for one channel or thread told in one post (or a few), within Discord's limits.
import { escapeMarkdown } from './messages/escape-markdown';
import {
  DISCORD_COLORS,
  DISCORD_LIMITS,
  type DiscordEmbed,
  embedSize,
  linkTarget,
} from './messages/render-discord';
import {
  type MessageKind,
  NO_AUTOMATIC_ROLLBACK,
  type SealMessage,
  TOOLING_FAULT_NOTE,
} from './messages/seal-message';
import { truncate } from './messages/truncate';
import type { DiscordPayload } from './relay-seal';
import type { Transition } from './seal';

/** The order a digest lists seals in: what needs a person first (red), then the checker's faults, then good news. */
export const DIGEST_KIND_ORDER: readonly MessageKind[] = ['red', 'inconclusive', 'recovered', 'green'];

/** Bounds on each part of a seal's line, after escaping: a line is at most about 900 characters. */
export const DIGEST_LINE_LIMITS = {
  /** What was sealed: `studio release 2026.06.26.1`, `studio (staging) nightly`. */
  sealed: 160,
  /** Why: the failed checks and their details, or what broke in the checker. */
  reason: 200,
  /** A longer report URL is left out rather than cut (a cut link is a broken link). */
  reportUrl: 400,
} as const;

export interface DigestMessage {
  readonly payload: DiscordPayload;
  /** The seals this message names, in the order it lists them. */
  readonly sealIds: readonly string[];
}

const MARK: Readonly<Record<MessageKind, string>> = {
  red: '🔴',
  inconclusive: '🟡',
  recovered: '💚',
  green: '🟢',
};

const HEADING: Readonly<Record<MessageKind, string>> = {
  red: 'Red',
  inconclusive: 'Inconclusive (checker fault)',
  recovered: 'Recovered',
  green: 'Green',
};

const CHANGE: Readonly<Record<Transition, string | null>> = {
  first: 'first seal',
  unchanged: null,
  broke: 'went red',
  recovered: 'recovered',
  'still-red': 'still red',
  'tooling-fault': null,
};

const NOTE: Readonly<Record<MessageKind, string | null>> = {
  red: `**${NO_AUTOMATIC_ROLLBACK}** Each red seal's rollback command is in its report and the operators' email.`,
  inconclusive: `**${TOOLING_FAULT_NOTE}**`,
  recovered: null,
  green: null,
};

const FOOTER = 'Smoke Seal digest';

/**
 * Lays out the seals as digest messages: one embed per kind (red, inconclusive, recovered, green, in
 * that order; by app, then time, within a kind), one line per seal. When the lines do not fit one
 * message (6,000 embed characters, 4,096 per description), they continue in the next: every seal is
 * named in exactly one message, none is summarised as "and N more". Seal text is bounded and
 * escaped; the payload forbids every mention.
 */
export function composeDigests(messages: readonly SealMessage[]): DigestMessage[] {
  const entries = [...messages]
    .sort(compareEntries)
    .map((message) => ({ message, line: digestLine(message) }));
  const groups: Entry[][] = [];
  let current: Entry[] = [];
  for (const entry of entries) {
    if (current.length > 0 && !fits([...current, entry])) {
      groups.push(current);
      current = [];
    }
    current.push(entry);
  }
  if (current.length > 0) groups.push(current);
  const counts = countByKind(messages);
  return groups.map((group, index) => ({
    payload: {
      content: truncate(headline(messages.length, counts, index, groups.length), DISCORD_LIMITS.content),
      embeds: embedsFor(group),
      allowed_mentions: { parse: [] },
    },
    sealIds: group.map((entry) => entry.message.sealId),
  }));
}

interface Entry {
  readonly message: SealMessage;
  readonly line: string;
}

function compareEntries(a: SealMessage, b: SealMessage): number {
  return (
    DIGEST_KIND_ORDER.indexOf(a.kind) - DIGEST_KIND_ORDER.indexOf(b.kind) ||
    compareText(a.app, b.app) ||
    compareText(a.checkedAt, b.checkedAt) ||
    compareText(a.sealId, b.sealId)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `🔴 **studio release 2026.06.26.1** · went red · 2 of 6 checks failed · tasks: … · [report](…)` */
export function digestLine(message: SealMessage): string {
  const parts = [`**${truncate(escapeMarkdown(sealedThing(message)), DIGEST_LINE_LIMITS.sealed)}**`];
  const change = CHANGE[message.transition];
  if (change && !(message.kind === 'recovered' && change === 'recovered')) parts.push(change);
  parts.push(message.tally);
  const why = reason(message);
  if (why) parts.push(truncate(escapeMarkdown(why), DIGEST_LINE_LIMITS.reason));
  if (message.reportUrl) {
    const target = linkTarget(message.reportUrl);
    if (target.length <= DIGEST_LINE_LIMITS.reportUrl) parts.push(`[report](${target})`);
  }
  return `${MARK[message.kind]} ${parts.join(' · ')}`;
}

/** The message title without its `RED seal: ` head: app, environment when not production, what was sealed. */
function sealedThing(message: SealMessage): string {
  const head = `${message.kind.toUpperCase()} seal: `;
  return message.title.startsWith(head) ? message.title.slice(head.length) : message.title;
}

function reason(message: SealMessage): string | null {
  if (message.kind === 'inconclusive') return message.toolingError;
  if (message.kind !== 'red') return null;
  if (message.failedChecks.length === 0) return message.summary;
  return message.failedChecks.map((check) => `${check.name}: ${check.detail}`).join('; ');
}

function embedsFor(entries: readonly Entry[]): DiscordEmbed[] {
  const embeds: DiscordEmbed[] = [];
  for (const kind of DIGEST_KIND_ORDER) {
    const ofKind = entries.filter((entry) => entry.message.kind === kind);
    if (ofKind.length === 0) continue;
    const note = NOTE[kind];
    // A kind whose lines pass one description's 4,096 continues in a second embed of its colour.
    const chunks: Entry[][] = [[]];
    let length = note?.length ?? 0;
    for (const entry of ofKind) {
      const chunk = chunks.at(-1)!;
      if (chunk.length > 0 && length + 1 + entry.line.length > DISCORD_LIMITS.description) {
        chunks.push([entry]);
        length = entry.line.length;
      } else {
        chunk.push(entry);
        length += (length > 0 ? 1 : 0) + entry.line.length;
      }
    }
    for (const [index, chunk] of chunks.entries()) {
      const lines = chunk.map((entry) => entry.line);
      embeds.push({
        title:
          index === 0
            ? `${HEADING[kind]}: ${ofKind.length} ${ofKind.length === 1 ? 'seal' : 'seals'}`
            : `${HEADING[kind]} (continued)`,
        description: (index === 0 && note ? [note, ...lines] : lines).join('\n'),
        color: DISCORD_COLORS[kind],
        fields: [],
        timestamp: chunk.map((entry) => entry.message.checkedAt).reduce((a, b) => (b > a ? b : a)),
        footer: { text: FOOTER },
      });
    }
  }
  return embeds;
}

/** Discord's per-message limits: 10 embeds, 4,096 per description, 6,000 embed characters in all. */
function fits(entries: readonly Entry[]): boolean {
  const embeds = embedsFor(entries);
  return (
    embeds.length <= 10 &&
    embeds.every((embed) => embed.description.length <= DISCORD_LIMITS.description) &&
    embeds.reduce((sum, embed) => sum + embedSize(embed), 0) <= DISCORD_LIMITS.embedTotal
  );
}

function countByKind(messages: readonly SealMessage[]): Map<MessageKind, number> {
  const counts = new Map<MessageKind, number>();
  for (const message of messages) counts.set(message.kind, (counts.get(message.kind) ?? 0) + 1);
  return counts;
}

/** `Smoke Seal digest: 12 seals (5 red, 2 inconclusive, 3 recovered, 2 green), part 1 of 2`: no seal text. */
function headline(total: number, counts: Map<MessageKind, number>, index: number, parts: number): string {
  const tally = DIGEST_KIND_ORDER.filter((kind) => counts.has(kind))
    .map((kind) => `${counts.get(kind)} ${kind}`)
    .join(', ');
  const part = parts > 1 ? `, part ${index + 1} of ${parts}` : '';
  return `**Smoke Seal digest**: ${total} seals (${tally})${part}`;
}
