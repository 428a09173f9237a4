import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../bin/cli/parse-command';

describe('parseCommand run', () => {
  it('takes --allow-http, off by default', () => {
    expect(parseCommand(['run', 'http://192.168.1.10:8080'])).toMatchObject({
      name: 'run',
      allowHttp: false,
    });
    expect(parseCommand(['run', 'http://192.168.1.10:8080', '--allow-http'])).toMatchObject({
      name: 'run',
      url: 'http://192.168.1.10:8080',
      allowHttp: true,
    });
  });
});
