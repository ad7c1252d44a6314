import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkSummaryFile, summaryFilesOf } from './run-summary.js';

export const CLI = fileURLToPath(new URL('../../dist/cli/cli.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI to completion (the real thing users run). */
export function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {},
): Promise<CliResult> {
  return finished(startCli(args, options), options.input);
}

export function startCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): ChildProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { ...process.env, FLUENCE_API_KEY: '', FLUENCE_BASE_URL: '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // The first listener, and synchronous: the summaries are read before a test's own handler can remove them.
  child.once('close', () => {
    for (const path of summaryFilesOf(args, options.cwd)) checkSummaryFile(path);
  });
  return child;
}

export function finished(child: ChildProcess, input?: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin!.end(input ?? '');
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** Resolves with the first stdout line matching `pattern`. */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (d: Buffer) => {
      buffer += d.toString('utf8');
      const match = pattern.exec(buffer);
      if (match) {
        child.stdout!.off('data', onData);
        resolve(match);
      }
    };
    child.stdout!.on('data', onData);
    child.once('close', () => reject(new Error(`process ended before printing ${pattern}: ${buffer}`)));
  });
}
