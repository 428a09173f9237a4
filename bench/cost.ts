// What a seal costs on Lambda, from its billed duration and the configured memory.

export interface LambdaPricing {
  readonly perGbSecondUsd: number;
  readonly perRequestUsd: number;
  /** Where the figures come from and when, for the reader of the docs. */
  readonly asOf: string;
}

/**
 * AWS Lambda on-demand price, x86, first tier, as published on https://aws.amazon.com/lambda/pricing/
 * (the per-GB-second figure has been the same since 1 ms billing began in December 2020). Not fetched
 * at run time: the bench makes no call outside 127.0.0.1.
 */
export const LAMBDA_PRICING: LambdaPricing = {
  perGbSecondUsd: 0.0000166667,
  perRequestUsd: 0.2 / 1_000_000,
  asOf: 'the published us-east-1 x86 first-tier price, unchanged since December 2020; an assumption of this bench, not fetched when it runs',
};

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

/** Dollars to three significant digits, at least cents: $0.000712, $0.213, $12.50. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  const digits = Math.max(2, 3 - Math.floor(Math.log10(Math.abs(usd))) - 1);
  return `$${usd.toFixed(Math.min(digits, 8))}`;
}
