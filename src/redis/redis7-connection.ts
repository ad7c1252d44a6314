import Bottleneck from 'bottleneck';

type ScriptCallback = (error: Error | null, replies: unknown) => void;
type ScriptFn = (...args: unknown[]) => unknown;

/**
 * Bottleneck's connection for the shared bucket, readable on Redis 7. Bottleneck 2.19.5 recovers
 * a bucket Redis lost (a restart without its data, keys expired) by recognising its scripts'
 * errors `SETTINGS_KEY_NOT_FOUND` and `UNKNOWN_CLIENT`; Redis 7 sends them as
 * `ERR SETTINGS_KEY_NOT_FOUND` (bottleneck issues #205, #212), so that recovery never runs and
 * every waiting job waits for ever (measured: a run stalled after a Redis restart). This gives
 * Bottleneck the errors as it expects them; nothing else changes.
 */
export class Redis7Connection extends Bottleneck.IORedisConnection {
  __scriptFn__(name: string): ScriptFn {
    const run = (
      Bottleneck.IORedisConnection.prototype as unknown as { __scriptFn__: (this: unknown, name: string) => ScriptFn }
    ).__scriptFn__.call(this, name);
    return (...args: unknown[]) => {
      const callback = args.pop() as ScriptCallback;
      return run(...args, (error: Error | null, replies: unknown) => {
        if (error && /^ERR (SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT)$/.test(error.message))
          error.message = error.message.slice(4);
        callback(error, replies);
      });
    };
  }
}
