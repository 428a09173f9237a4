// Where one run of a seal keeps its evidence: the seal id plus a per-run nonce, so two runs never share objects.

/**
 * `app:trigger:key:run-<checked at>-<nonce>`. Two deliveries of one event run at once and only one
 * seal is stored; each run writes its screenshots and report under its own key, so the loser can
 * never overwrite the winner's evidence, and the stored seal's report link is its own run's.
 */
export function evidenceKey(sealId: string, checkedAt: Date, nonce: string = randomNonce()): string {
  const stamp = checkedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${sealId}:run-${stamp}-${nonce}`;
}

function randomNonce(): string {
  return globalThis.crypto.randomUUID().slice(0, 8);
}
