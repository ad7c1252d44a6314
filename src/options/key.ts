import { readFileSync } from 'node:fs';
import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';

/**
 * The API key: given (library), else read from `apiKeyFile`, else FLUENCE_API_KEY. Never an
 * option of the command line or a config file, where it would end up in shell history or git.
 * `optional`: a command that works without one (estimate, health) gets '' when none is set.
 */
export function readKey(
  given: { apiKey?: string | undefined; apiKeyFile?: string | undefined },
  env: NodeJS.ProcessEnv,
  optional = false,
): string {
  let key = given.apiKey ?? '';
  if (!key && given.apiKeyFile) {
    try {
      key = readFileSync(given.apiKeyFile, 'utf8').trim();
    } catch (error) {
      throw new FluenceError(
        'MISSING_KEY',
        message('errors.missingKey.file', {
          path: given.apiKeyFile,
          code: (error as NodeJS.ErrnoException).code ?? 'error',
        }),
      );
    }
  }
  if (!key) key = (env.FLUENCE_API_KEY ?? '').trim();
  if (!key && optional) return '';
  if (!key) throw new FluenceError('MISSING_KEY', message('errors.missingKey'));
  if (!/^[A-Za-z0-9]{40}$/.test(key)) {
    throw new FluenceError('BAD_KEY_FORMAT', message('errors.badKeyFormat', { length: key.length }));
  }
  return key;
}
