// Loading sign-in from Secrets Manager by name: the SDK mocked at its boundary, Powertools' cache real.
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadTargetAuth } from '../../functions/adapters/secrets-manager-target-auth';

const sm = mockClient(SecretsManagerClient);
const PASSWORD = 'pw-Secret-1618';

beforeEach(() => sm.reset());

describe('loadTargetAuth', () => {
  it('reads each named secret once per container and parses it', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'studio/basic' }).resolves({
      SecretString: JSON.stringify({ username: 'seal-bot', password: PASSWORD }),
    });
    sm.on(GetSecretValueCommand, { SecretId: 'studio/headers' }).resolves({
      SecretString: JSON.stringify({ 'X-Api-Key': 'key-1' }),
    });
    const secrets = new SecretsProvider({
      awsSdkV3Client: new SecretsManagerClient({ region: 'eu-west-1' }),
    });
    const names = { basicSecret: 'studio/basic', headersSecret: 'studio/headers' };
    const first = await loadTargetAuth(secrets, names, 'apps[studio].auth');
    const second = await loadTargetAuth(secrets, names, 'apps[studio].auth');
    expect(first).toEqual({
      basic: { username: 'seal-bot', password: PASSWORD },
      headers: { 'X-Api-Key': 'key-1' },
    });
    expect(second).toEqual(first);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(await loadTargetAuth(secrets, undefined, 'apps[studio].auth')).toBeUndefined();
  });

  it('names the secret and the field when one is missing or malformed, never its value', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'studio/gone' }).rejects(
      Object.assign(new Error("Secrets Manager can't find the specified secret."), {
        name: 'ResourceNotFoundException',
      }),
    );
    sm.on(GetSecretValueCommand, { SecretId: 'studio/bad' }).resolves({ SecretString: `user:${PASSWORD}` });
    const secrets = new SecretsProvider({
      awsSdkV3Client: new SecretsManagerClient({ region: 'eu-west-1' }),
    });
    await expect(
      loadTargetAuth(secrets, { basicSecret: 'studio/gone' }, 'apps[studio].auth'),
    ).rejects.toThrow(
      /apps\[studio\]\.auth\.basicSecret "studio\/gone": cannot be read \(ResourceNotFoundException\)/,
    );
    const error = await loadTargetAuth(secrets, { basicSecret: 'studio/bad' }, 'apps[studio].auth').catch(
      (e) => e,
    );
    expect(error.message).toMatch(
      /basicSecret "studio\/bad": not valid JSON; expected a JSON object \{"username"/,
    );
    expect(error.message).not.toContain(PASSWORD);
  });
});
