// SealPublisher for a laptop or a CI job: no SNS, the relay's own delivery runs right after the seal is stored.
import { ConfigError } from '../core/errors';
import type { Clock, SealPublisher, SealStore } from '../core/ports';
import { deliverSeal, type RelayOutcome, type RelayPorts, type RetryPolicy } from '../core/relay-seal';
import type { DeliveryChannel, DeliveryState, Seal } from '../core/seal';
import { DiscordWebhook } from './discord-webhook';
import { GitHubCommitStatus } from './github-commit-status';
import { ReleaseApi, releaseUrl } from './release-api';

/** Where the laptop finds the release API token: never on the command line, where shells keep history. */
export const RELEASE_API_TOKEN_ENV = 'SMOKE_SEAL_RELEASE_API_TOKEN';

export interface DirectSealPublisherOptions {
  /** `--discord-webhook <url>`; absent: Discord is skipped. */
  readonly discordWebhookUrl?: string;
  /** `--release-api <url template>` with {releaseId}; absent: the Release record is skipped. */
  readonly releaseApiUrlTemplate?: string;
  /** Defaults to the SMOKE_SEAL_RELEASE_API_TOKEN environment variable; required with a template. */
  readonly releaseApiToken?: string;
  /** `--github-status`: the `smoke-seal/<app>` status on the release's merge commit in `repo`. */
  readonly github?: { readonly token: string; readonly apiUrl?: string; readonly repo: string };
  /** Thread for the post when the release names none (the app's discordThreadId). */
  readonly discordThreadId?: string;
  /**
   * The store the seal was written to, so delivery states are recorded, a re-run skips what was
   * delivered, and a relay of the same seal elsewhere cannot send it twice (the channel claim).
   * Without it the states live only in the published seal object, and nothing is claimed.
   */
  readonly store?: Pick<SealStore, 'get' | 'history' | 'updateDelivery' | 'claimDelivery'>;
  /** Called with each seal's delivery outcome, for the CLI to print. */
  readonly onOutcome?: (outcome: RelayOutcome) => void;
  readonly clock?: Clock;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly retry?: RetryPolicy;
  readonly timeoutMs?: number;
}

/**
 * Delivers with the same policy, messages and retries as the relay. A failed delivery does not
 * throw (the seal is already stored and its verdict printed): it is in the outcome and the
 * seal's delivery state. A store failure does throw.
 */
export class DirectSealPublisher implements SealPublisher {
  private readonly discord: DiscordWebhook | undefined;
  private readonly releaseApi: ReleaseApi | undefined;
  private readonly github: GitHubCommitStatus | undefined;
  /** The outcome of the last publish, for callers that prefer reading to a callback. */
  lastOutcome: RelayOutcome | undefined;

  constructor(private readonly options: DirectSealPublisherOptions) {
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.discord = options.discordWebhookUrl
      ? new DiscordWebhook({ webhookUrl: options.discordWebhookUrl, timeoutMs })
      : undefined;
    if (options.releaseApiUrlTemplate) {
      // Fails now, as a usage error, rather than after the browser ran.
      releaseUrl(options.releaseApiUrlTemplate, 'template-check');
      const token = options.releaseApiToken ?? process.env[RELEASE_API_TOKEN_ENV];
      if (!token) {
        throw new ConfigError(
          `--release-api needs a bearer token: set ${RELEASE_API_TOKEN_ENV} in the environment`,
        );
      }
      this.releaseApi = new ReleaseApi({ token, timeoutMs });
    }
    this.github = options.github
      ? new GitHubCommitStatus({ token: options.github.token, apiUrl: options.github.apiUrl, timeoutMs })
      : undefined;
  }

  async publish(seal: Seal): Promise<void> {
    const template = this.options.releaseApiUrlTemplate;
    const threadId = this.options.discordThreadId;
    const ports: RelayPorts = {
      store: this.options.store ?? sealInHand(seal),
      clock: this.options.clock ?? { now: () => new Date() },
      sleep: this.options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      discord: this.discord,
      releaseApi: this.releaseApi,
      github: this.github,
      destinations: () => ({
        ...(this.options.github ? { github: { repo: this.options.github.repo } } : {}),
        ...(threadId ? { discordThreadId: threadId } : {}),
        ...(template ? { releaseApiUrlTemplate: template } : {}),
      }),
      retry: this.options.retry,
    };
    this.lastOutcome = await deliverSeal(seal, ports);
    this.options.onOutcome?.(this.lastOutcome);
  }
}

/**
 * A store of the one seal being published: delivery states land on the seal object itself. No one
 * else can see this seal, so there is nothing to claim against: a channel not delivered is won.
 */
function sealInHand(seal: Seal): RelayPorts['store'] {
  return {
    get: async (id) => (id === seal.id ? seal : undefined),
    history: async () => ({ seals: [seal], corrupt: [], cursor: undefined }),
    updateDelivery: async (_id: string, channel: DeliveryChannel, state: DeliveryState) => {
      seal.deliveries[channel] = state;
    },
    claimDelivery: async (id: string, channel: DeliveryChannel) =>
      id === seal.id && seal.deliveries[channel]?.state !== 'delivered',
  };
}
