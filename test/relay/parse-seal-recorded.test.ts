import { describe, expect, it } from 'vitest';
import { decideAlert } from '../../functions/core/alert-policy';
import { EventError } from '../../functions/core/errors';
import { sealRecorded } from '../../functions/core/seal-recorded';
import { parseSealRecorded } from '../../functions/relay/parse-seal-recorded';
import { redSeal } from '../fixtures/sample-seals';

const message = sealRecorded(redSeal(), decideAlert(redSeal(), null));

describe('parseSealRecorded', () => {
  it('reads the message with raw message delivery on', () => {
    expect(parseSealRecorded(JSON.stringify(message))).toEqual(message);
  });

  it("reads the message inside SNS's envelope with raw message delivery off", () => {
    const body = JSON.stringify({
      Type: 'Notification',
      Message: JSON.stringify(message),
      MessageAttributes: {},
    });
    expect(parseSealRecorded(body)).toEqual(message);
  });

  it('refuses a body that is not a seal-recorded message, naming the field', () => {
    expect(() => parseSealRecorded('not json')).toThrow(EventError);
    expect(() => parseSealRecorded(JSON.stringify({ ...message, sealId: '' }))).toThrow(/sealId/);
    expect(() => parseSealRecorded(JSON.stringify({ ...message, version: 2 }))).toThrow(/version/);
  });
});
