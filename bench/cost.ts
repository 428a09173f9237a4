// What a seal costs on Lambda, from its billed duration and the configured memory.

/**
 * AWS Lambda on-demand price, x86, first tier (us-east-1 and most regions), as published on
 * https://aws.amazon.com/lambda/pricing/ (read 2025; unchanged since 2020 for x86).
 */
export const LAMBDA_PRICING = {
  perGbSecondUsd: 0.0000166667,
  perRequestUsd: 0.2 / 1_000_000,
  asOf: '2025 (aws.amazon.com/lambda/pricing, us-east-1, x86, first 6 billion GB-seconds a month)',
} as const;

export interface SealCost {
  readonly billedMs: number;
  readonly gbSeconds: number;
  readonly usd: number;
}

/** Lambda bills whole milliseconds (rounded up) times memory in GB (MB / 1024), plus the request. */
export function sealCost(durationMs: number, memoryMb: number, pricing = LAMBDA_PRICING): SealCost {
  const billedMs = Math.ceil(durationMs);
  const gbSeconds = (billedMs / 1000) * (memoryMb / 1024);
  return { billedMs, gbSeconds, usd: gbSeconds * pricing.perGbSecondUsd + pricing.perRequestUsd };
}

/** Nightly seals of `apps` apps for `nights` nights (a month is 30 here). */
export function nightlyCost(perSealUsd: number, apps: number, nights = 30): number {
  return perSealUsd * apps * nights;
}

/** Dollars with enough digits to be read: $0.000712, $0.21. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  const digits = Math.max(2, 2 - Math.floor(Math.log10(Math.abs(usd))) + 1);
  return `$${usd.toFixed(Math.min(digits, 8))}`;
}
