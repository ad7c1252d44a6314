import { describe, expect, it } from 'vitest';
import { passwordEncodingHint, parseRedisTarget } from '../src/redis/url.js';
import { runCli } from './helpers/cli.js';
import { contactsFile, enrichArgs, people, workdir } from './helpers/enrich.js';
import { ENTERPRISE, withSandbox } from './helpers/sandbox.js';

describe('a Redis password that needs percent-encoding', () => {
  it('names the characters and their encoding, never the password', () => {
    for (const [url, told] of [
      ['redis://:pa#ss@cache:6379/0', '# as %23'],
      ['redis://:pa/ss@cache:6379/0', '/ as %2F'],
      ['redis://:pa?ss@cache:6379', '? as %3F'],
      // A # after what looks like a host and port parses: refused, not sent to a host named "user".
      ['redis://user:1234#rest@cache:6379', '# as %23'],
    ]) {
      expect(() => parseRedisTarget(url!), url).toThrow(told);
      expect(() => parseRedisTarget(url!), url).not.toThrow(/pa#ss|pa\/ss|pa\?ss|1234|rest/);
    }
    expect(passwordEncodingHint('redis://:a#b/c?d@h')).toBe(
      'option --redis: the password holds #, /, ?, which a URL cannot carry as they are: percent-encode them in the URL (# as %23, / as %2F, ? as %3F) (the value given is not shown: it holds a password)',
    );
    // Encoded, it is a good URL; a URL without a password needs no hint.
    expect(parseRedisTarget('redis://:pa%23ss%2Fw%3F@cache:6379/0').shown).toBe('redis://:***@cache:6379/0');
    expect(passwordEncodingHint('redis://cache:6379/x')).toBeUndefined();
  });

  it('through the real CLI: exit 1 with the advice, the password nowhere, nothing sent to the API', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(2, 'Teste 404'));
      const password = 'S3cr#t/pa?ss';
      for (const env of [{ FLUENCE_REDIS_URL: `redis://:${password}@127.0.0.1:6379/0` }, {}]) {
        const extra = 'FLUENCE_REDIS_URL' in env ? [] : ['--redis', `redis://:${password}@127.0.0.1:6379/0`];
        const run = await runCli(enrichArgs(sandbox, input, dir, extra), {
          env: { FLUENCE_API_KEY: ENTERPRISE, ...env },
        });
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('[BAD_OPTION]');
        expect(run.stderr).toContain('percent-encode them in the URL (# as %23, / as %2F, ? as %3F)');
        expect(run.stderr).not.toContain('S3cr');
        expect(run.stderr).not.toContain('pa?ss');
      }
      expect(sandbox.ledger.keys).toEqual({});
      expect(sandbox.ledger.totalCharged).toBe(0);
    });
  });
});
