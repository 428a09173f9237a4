// Errors a person reads: each names the field and the fix, and keeps the original as `cause`.

/** Deployment or app configuration is wrong (cdk.json, CLI --app, spec overrides). */
export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** An incoming event (EventBridge, schedule, manual invoke) is malformed or not allowed. */
export class EventError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventError';
  }
}

/** The seal store cannot be reached or refused a write: an infrastructure fault, to be retried. */
export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** A delivery channel (Discord, release API, SNS) failed; `retryable` says whether trying again may help. */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { retryable: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'DeliveryError';
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}
