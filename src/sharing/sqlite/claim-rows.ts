import type Database from 'better-sqlite3';
import type { ClaimDecision } from '../claim-rule.js';
import type { ClaimStore } from '../claims.js';
import type { ClaimView } from '../types.js';
import { READ, toLookup, type Row, type StoredAnswers } from './answers.js';
import type { Handle } from './open.js';

type Holder = { heartbeat_at: number; host: string; pid: number; started_at: number };

/**
 * Claims and heartbeats in a cache's own file, for runs on this machine: a claim is one
 * transaction in which the pure claim rule sees the row as it is, and the row becomes this run's
 * before anyone else can look.
 */
export class ClaimRows implements ClaimStore {
  readonly #handle: Handle;
  readonly #answers: StoredAnswers;
  readonly #get: Database.Statement<[string, string], Row>;
  readonly #runRow: Database.Statement<[string], Holder>;
  readonly #claimed: Database.Statement<[string, string, string, number]>;
  readonly #heartbeat: Database.Statement<[string, string, number, number, number]>;
  readonly #release: Database.Statement<[string]>;
  readonly #endRun: Database.Statement<[string]>;
  readonly #claim: (
    endpoint: string,
    contact: string,
    runId: string,
    decide: (row: ClaimView | undefined) => ClaimDecision,
  ) => { decision: ClaimDecision; lookup: ClaimView['lookup'] };

  /** `answers`: the same store's answers, whose read-ahead forgets a contact being claimed. */
  constructor(handle: Handle, answers: StoredAnswers) {
    this.#handle = handle;
    this.#answers = answers;
    const { db } = handle;
    this.#get = db
      .prepare<[string, string], Row>(`SELECT ${READ} FROM results WHERE endpoint = ? AND contact = ?`)
      .raw(true);
    this.#runRow = db.prepare('SELECT heartbeat_at, host, pid, started_at FROM runs WHERE id = ?');
    this.#claimed = db.prepare(
      `INSERT INTO results (endpoint, contact, state, run, updated_at) VALUES (?, ?, 'claimed', ?, ?)
       ON CONFLICT (endpoint, contact) DO UPDATE SET state = 'claimed', run = excluded.run, updated_at = excluded.updated_at`,
    );
    this.#heartbeat = db.prepare(
      'INSERT INTO runs (id, host, pid, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at',
    );
    this.#release = db.prepare(
      "UPDATE results SET state = 'unanswered', run = NULL WHERE run = ? AND state = 'claimed'",
    );
    this.#endRun = db.prepare('DELETE FROM runs WHERE id = ?');
    this.#claim = db.transaction(
      (endpoint: string, contact: string, runId: string, decide: (row: ClaimView | undefined) => ClaimDecision) => {
        const view = this.#view(endpoint, contact);
        const decision = decide(view);
        if (decision.kind === 'ask') this.#claimed.run(endpoint, contact, runId, Date.now());
        return { decision, lookup: view?.lookup };
      },
    ).immediate;
  }

  /** A run using the store says it is alive (see `claim-rule.ts`): at its start, then every heartbeat. */
  heartbeat(runId: string, host: string, pid: number): void {
    const now = Date.now();
    this.#handle.guard(() => this.#heartbeat.run(runId, host, pid, now, now));
  }

  /** A run that ends cleanly lets go of what it claimed and never sent, and of its heartbeat row. */
  endRun(runId: string): void {
    this.#handle.guard(() =>
      this.#handle.db.transaction(() => {
        this.#release.run(runId);
        this.#endRun.run(runId);
      })(),
    );
  }

  /** The row for a contact as the claim rule sees it, read fresh (never from pages read ahead). */
  #view(endpoint: string, contact: string): ClaimView | undefined {
    const row = this.#get.get(endpoint, contact);
    if (!row) return undefined;
    const runId = row[8];
    const holder = runId ? this.#runRow.get(runId) : undefined;
    return {
      state: row[2] as ClaimView['state'],
      run: runId || null,
      holder: holder && {
        heartbeatAt: holder.heartbeat_at,
        host: holder.host,
        pid: holder.pid,
        startedAt: holder.started_at,
      },
      lookup: toLookup(row, 'cache'),
    };
  }

  /**
   * Claims a contact for `runId` in one transaction: `decide` (the pure claim rule) sees the row
   * as it is, and when it says `ask`, the row becomes this run's claim before anyone else can
   * look. `lookup` is the row as a stored answer, for `reuse`.
   */
  claim(
    endpoint: string,
    contact: string,
    runId: string,
    decide: (row: ClaimView | undefined) => ClaimDecision,
  ): { decision: ClaimDecision; lookup: ClaimView['lookup'] } {
    this.#answers.forget(endpoint, contact);
    return this.#handle.guard(() => this.#claim(endpoint, contact, runId, decide));
  }

  /** A fresh look at a contact another run holds: its answer, or who holds it now. */
  peek(endpoint: string, contact: string): ClaimView | undefined {
    return this.#handle.guard(() => this.#view(endpoint, contact));
  }
}
