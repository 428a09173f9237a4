// The GitHub commit status of a seal: state, context, a 140-character description and the report link.
import type { SealStatus } from '../seal';
import { oneLine } from './one-line';
import type { SealMessage } from './seal-message';

export interface CommitStatus {
  readonly state: 'success' | 'failure' | 'error';
  /** `smoke-seal/<app>`: one status line per app on the commit, replaced by each new seal. */
  readonly context: string;
  /** At most 140 characters (GitHub's limit), one line. */
  readonly description: string;
  /** The report, only when it is a web link. */
  readonly target_url?: string;
}

/** GitHub's limit on a status description. */
export const COMMIT_STATUS_DESCRIPTION_MAX = 140;

const STATE: Readonly<Record<SealStatus, CommitStatus['state']>> = {
  green: 'success',
  red: 'failure',
  inconclusive: 'error',
};

const LABEL: Readonly<Record<SealStatus, string>> = {
  green: 'Sealed green',
  red: 'RED',
  inconclusive: 'Inconclusive (checker fault, not a verdict)',
};

export function renderCommitStatus(message: SealMessage): CommitStatus {
  const description = oneLine(
    `${LABEL[message.status]}: ${message.tally}. ${message.summary}`,
    COMMIT_STATUS_DESCRIPTION_MAX,
  );
  return {
    state: STATE[message.status],
    context: `smoke-seal/${message.app}`,
    description,
    ...(message.reportUrl ? { target_url: message.reportUrl } : {}),
  };
}
