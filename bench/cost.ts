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

/**
 * A month of a fleet, each assumption named. Prices: AWS's published us-east-1 list prices as noted
 * on 2026-12-03 (not fetched when the bench runs); peers: CloudWatch Synthetics and Checkly's
 * published plans as noted the same day.
 */
export interface FleetAssumptions {
  /** Billed seconds of one seal at `memoryMb` (a real app, cold; the demo site takes 3.5 s here). */
  readonly sealSeconds: number;
  readonly memoryMb: number;
  /** Release seals per app per month, beside the 30 nightly ones. */
  readonly releasesPerAppMonth: number;
  /** Evidence per seal (screenshots and report), kept for retentionMonths. */
  readonly evidenceMbPerSeal: number;
  readonly retentionMonths: number;
}

export const FLEET_ASSUMPTIONS: FleetAssumptions = {
  sealSeconds: 20,
  memoryMb: 2048,
  releasesPerAppMonth: 10,
  evidenceMbPerSeal: 1,
  retentionMonths: 12,
};

export const AWS_PRICES = {
  /** SQS standard, per request (send, receive, delete; the fan-out's batches count as one each). */
  sqsPerRequestUsd: 0.4 / 1_000_000,
  /** DynamoDB on demand, per write and read request unit (the November 2024 prices). */
  dynamoPerWriteUsd: 0.625 / 1_000_000,
  dynamoPerReadUsd: 0.125 / 1_000_000,
  /** S3 Standard, per PUT and per GB-month. */
  s3PerPutUsd: 0.005 / 1_000,
  s3PerGbMonthUsd: 0.023,
  /** CloudWatch, per standard alarm-month; the stack's alarms are a fixed 14. */
  alarmMonthUsd: 0.1,
  stackAlarms: 14,
  /** CloudWatch custom metrics, per metric-month (first 10,000 tier); the stack emits 8 without an app dimension. */
  customMetricMonthUsd: 0.3,
  stackMetrics: 8,
  /** CloudWatch Logs ingestion per GB; about 20 KB of log per seal. */
  logsPerGbUsd: 0.5,
  logKbPerSeal: 20,
  asOf: 'us-east-1 list prices as published, noted 2026-12-03; not fetched when the bench runs',
} as const;

/** A month of `apps` apps on Smoke Seal, by part, in dollars. */
export function fleetMonthlyCost(
  apps: number,
  assumptions: FleetAssumptions = FLEET_ASSUMPTIONS,
  pricing: LambdaPricing = LAMBDA_PRICING,
): Record<'lambda' | 'queues' | 'dynamo' | 's3' | 'cloudwatch' | 'total', number> {
  const seals = apps * (30 + assumptions.releasesPerAppMonth);
  const lambda = seals * sealCost(assumptions.sealSeconds * 1000, assumptions.memoryMb, pricing).usd;
  // Seal queue and relay queue: send, receive, delete each; a nightly request waits one hop at most per 15 minutes.
  const queues = seals * 6 * AWS_PRICES.sqsPerRequestUsd;
  // A seal: its item, the latest pointer and three delivery states written, a few reads; the daily check reads 2 per app.
  const dynamo =
    seals * 6 * AWS_PRICES.dynamoPerWriteUsd + (seals * 4 + apps * 2 * 30) * AWS_PRICES.dynamoPerReadUsd;
  const s3 =
    seals * 8 * AWS_PRICES.s3PerPutUsd +
    (seals * assumptions.evidenceMbPerSeal * assumptions.retentionMonths * AWS_PRICES.s3PerGbMonthUsd) / 1024;
  const cloudwatch =
    AWS_PRICES.stackAlarms * AWS_PRICES.alarmMonthUsd +
    AWS_PRICES.stackMetrics * AWS_PRICES.customMetricMonthUsd +
    (seals * AWS_PRICES.logKbPerSeal * AWS_PRICES.logsPerGbUsd) / (1024 * 1024);
  return { lambda, queues, dynamo, s3, cloudwatch, total: lambda + queues + dynamo + s3 + cloudwatch };
}

/**
 * Peers for the same checks, per month. CloudWatch Synthetics: $0.0012 per canary run (us-east-1),
 * one run per app per night plus the releases. Checkly: the Team plan's browser check runs ($40 a month
 * for 12,000 runs noted 2026-12-03, then about $3.50 per 1,000); a team that checks every 10 minutes
 * pays 144× the runs. Both as noted 2026-12-03.
 */
export function peerMonthlyCost(apps: number, assumptions: FleetAssumptions = FLEET_ASSUMPTIONS) {
  const runs = apps * (30 + assumptions.releasesPerAppMonth);
  return {
    synthetics: runs * 0.0012,
    checkly: 40 + Math.max(0, runs - 12_000) * (3.5 / 1_000),
  };
}
