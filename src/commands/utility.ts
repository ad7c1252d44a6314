import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { freeGetClient } from '../api/client.js';
import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';
import { withOptions } from './yargs-options.js';
import { normalizeConnection } from '../options/normalize.js';
import type { CommandName } from '../options/table.js';
import { resolveOptions } from '../options/values.js';
import { getProblem } from '../engine/preflight.js';
import { t, type Lang, type MessageKey } from '../i18n/index.js';

/**
 * The free utility endpoints as commands: human-readable by default, the API's JSON with --json.
 * Each command file gives its path and how to show the answer.
 */
export function utilityCommand(spec: {
  name: Exclude<CommandName, 'enrich' | 'estimate' | 'sandbox'>;
  path: string;
  describe: MessageKey;
  needsKey: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: each command reads its own endpoint's JSON (see its `show`).
  show: (body: any, lang: Lang) => string;
}): (lang: Lang) => CommandModule {
  return (lang) => ({
    command: spec.name,
    describe: t(lang, spec.describe),
    builder: (yargs: Argv) => withOptions(yargs, spec.name, lang),
    handler: async (args: ArgumentsCamelCase) => {
      const values = resolveOptions(spec.name, args, process.env);
      const connection = normalizeConnection(values, process.env, { keyOptional: !spec.needsKey });
      const client = freeGetClient(connection);
      try {
        const reply = await client.get(spec.path);
        if (reply.kind === 'network')
          throw new FluenceError(
            'API_UNREACHABLE',
            message('errors.apiUnreachable', { url: connection.baseUrl, code: reply.code }),
          );
        if (reply.status !== 200) throw getProblem(connection.baseUrl, spec.path, reply);
        if (reply.body === undefined)
          throw new FluenceError(
            'API_ERROR',
            message('errors.apiError.noJson', { url: `${connection.baseUrl}${spec.path}` }),
          );
        process.stdout.write(
          values.json ? `${JSON.stringify(reply.body, null, 2)}\n` : `${spec.show(reply.body, lang)}\n`,
        );
      } finally {
        client.close();
      }
    },
  });
}
