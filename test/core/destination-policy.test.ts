import { describe, expect, it } from 'vitest';
import {
  type AddressClass,
  classifyAddress,
  decideDestination,
  matchesAppHost,
} from '../../functions/core/destination-policy';

describe('classifyAddress', () => {
  it.each<[string, AddressClass | null]>([
    ['93.184.215.14', null],
    ['8.8.8.8', null],
    ['127.0.0.1', 'loopback'],
    ['127.0.0.2', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', null],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'instance metadata'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.128.0.1', null],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'this network'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['2606:4700::6810:84e5', null],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fd00:ec2::254', 'instance metadata'],
    ['fd12:3456::1', 'private'],
    ['fc00::1', 'private'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'instance metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:8.8.8.8', null],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::192.168.0.1', 'private'],
    ['[::1]', 'loopback'],
    ['example.com', 'not an IP address'],
    ['1.2.3', 'not an IP address'],
    ['1:2:3', 'not an IP address'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe('matchesAppHost', () => {
  it.each<[string, number, string[], boolean]>([
    ['app.example.com', 443, ['app.example.com'], true],
    ['APP.example.com.', 80, ['app.example.com'], true],
    ['app.example.com', 8443, ['app.example.com'], false],
    ['app.example.com', 8443, ['app.example.com:8443'], true],
    ['cdn.example.com', 443, ['*.example.com'], true],
    ['a.b.example.com', 443, ['*.example.com'], true],
    ['example.com', 443, ['*.example.com'], false],
    ['evil-example.com', 443, ['*.example.com'], false],
    ['127.0.0.1', 4000, ['127.0.0.1:4000'], true],
    ['127.0.0.1', 4001, ['127.0.0.1:4000'], false],
    ['::1', 4000, ['[::1]:4000'], true],
  ])('%s:%d against %j is %s', (host, port, patterns, expected) => {
    expect(matchesAppHost(host, port, patterns)).toBe(expected);
  });
});

describe('decideDestination', () => {
  const policy = { appHosts: ['127.0.0.1:4000', 'app.example.com'], runtimeApi: '127.0.0.1:9001' };

  it.each<[string, number, string, boolean, RegExp | null]>([
    ['127.0.0.1', 4000, '127.0.0.1', true, null],
    ['app.example.com', 443, '10.0.0.5', true, null],
    ['fonts.example.net', 443, '93.184.215.14', true, null],
    ['127.0.0.1', 9001, '127.0.0.1', false, /Lambda runtime API/],
    ['127.0.0.1', 4001, '127.0.0.1', false, /^loopback address 127\.0\.0\.1 is off the app's hosts$/],
    ['127.0.0.2', 80, '127.0.0.2', false, /^loopback/],
    [
      'metadata.internal',
      80,
      '169.254.169.254',
      false,
      /^instance metadata address metadata\.internal \(169\.254\.169\.254\)/,
    ],
    [
      'rebind.example.net',
      443,
      '192.168.0.10',
      false,
      /^private address rebind\.example\.net \(192\.168\.0\.10\)/,
    ],
    ['mapped.example.net', 443, '::ffff:127.0.0.1', false, /^loopback/],
    ['localhost', 9001, '::ffff:127.0.0.1', false, /Lambda runtime API/],
  ])('%s:%d at %s allowed=%s', (host, port, address, allowed, reason) => {
    const decision = decideDestination({ host, port, address }, policy);
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) expect(decision.reason).toMatch(reason!);
  });

  it('refuses the runtime API even when it is named among the app hosts', () => {
    const decision = decideDestination(
      { host: '127.0.0.1', port: 9001, address: '127.0.0.1' },
      { appHosts: ['127.0.0.1:9001'], runtimeApi: '127.0.0.1:9001' },
    );
    expect(decision.allowed).toBe(false);
  });
});
