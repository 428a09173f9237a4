// The relay's input: an SQS body holding a SealRecorded message, with or without SNS's envelope.
import { describeZodError } from '../core/describe-zod-error';
import { EventError } from '../core/errors';
import { type SealRecorded, SealRecordedSchema } from '../core/seal-recorded';

/**
 * Accepts both shapes, so the subscription's raw message delivery may be on (the body is the
 * message) or off (the body is SNS's Notification envelope with the message in `Message`).
 */
export function parseSealRecorded(body: string): SealRecorded {
  let parsed: unknown = parseJson(body, 'SQS body');
  if (isNotification(parsed)) parsed = parseJson(parsed.Message, 'SNS Message');
  const result = SealRecordedSchema.safeParse(parsed);
  if (!result.success) {
    throw new EventError(`not a seal-recorded message: ${describeZodError(result.error)}`, {
      cause: result.error,
    });
  }
  return result.data;
}

function isNotification(value: unknown): value is { Type: 'Notification'; Message: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'Type' in value &&
    value.Type === 'Notification' &&
    'Message' in value &&
    typeof value.Message === 'string'
  );
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new EventError(`${what} is not JSON: ${(error as Error).message}`, { cause: error });
  }
}
