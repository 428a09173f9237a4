import { describe, expect, it } from 'vitest';
import { EventError } from '../../functions/core/errors';
import { resolveTargetUrl } from '../../functions/core/resolve-target';

const app = {
  name: 'studio',
  url: 'https://studio.example.com/',
  allowedHosts: ['canary.studio.example.com', '*.preview.example.com', 'staging.example.com:8443'],
};

describe('resolveTargetUrl', () => {
  it('uses the canonical production URL when the event names none', () => {
    expect(resolveTargetUrl(app, undefined)).toBe('https://studio.example.com/');
  });

  it.each([
    'https://studio.example.com/app',
    'https://canary.studio.example.com/',
    'https://pr-12.preview.example.com/',
    'https://staging.example.com:8443/',
  ])('accepts %s, whose host is allowed', (url) => {
    expect(resolveTargetUrl(app, url)).toBe(url);
  });

  it.each([
    ['https://evil.example.net/', 'host "evil.example.net" is not allowed'],
    ['https://169.254.169.254/latest/meta-data', 'host "169.254.169.254" is not allowed'],
    ['https://preview.example.com/', 'host "preview.example.com" is not allowed'],
    ['https://studio.example.com.evil.net/', 'is not allowed'],
    ['https://staging.example.com/', 'host "staging.example.com" is not allowed'],
    ['https://studio.example.com:444/', 'host "studio.example.com:444" is not allowed'],
    ['file:///etc/passwd', 'expected an https URL, got scheme "file"'],
    ['https://user:pw@studio.example.com/', 'credentials in the URL are not allowed'],
    ['not a url', 'expected an absolute URL'],
  ])('refuses %s', (url, message) => {
    expect(() => resolveTargetUrl(app, url)).toThrow(EventError);
    expect(() => resolveTargetUrl(app, url)).toThrow(message);
  });

  it('names the field and the fix', () => {
    expect(() => resolveTargetUrl(app, 'https://evil.example.net/')).toThrow(
      'detail.smokeUrl: host "evil.example.net" is not allowed for app "studio"; allowed: studio.example.com, canary.studio.example.com, *.preview.example.com, staging.example.com:8443 (add it to apps[].allowedHosts in the configuration if it is yours)',
    );
  });
});
