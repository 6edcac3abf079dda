/**
 * Who is signed in at this console. The station owns sessions; this keeps
 * its answer, the time left before the inactivity sign-out, and the session
 * token, in memory only (never localStorage: a token on disk would outlive
 * the person at the desk). A browser-mode reconnect hands the token back to
 * take up the same session. Operator input (keys, mouse) is reported to the
 * station, at most every few seconds, and at once while the countdown shows.
 */
import { getContext, setContext } from 'svelte';
import type { SessionChangeReason, SessionInfo, SessionState } from '../../shared/api.js';
import { can, type Permission } from '../../shared/permissions.js';
import type { ApiClient } from './api-client.js';

/** Input is reported at most this often while the countdown is not showing. */
export const ACTIVITY_REPORT_MS = 10_000;

export type SessionDialog = 'signIn' | 'firstAdmin' | null;

export class ConsoleSession {
  /** The station's answer to session.current; null until the first answer. */
  state = $state.raw<SessionState | null>(null);
  current = $state.raw<SessionInfo | null>(null);
  /** Console-clock time of the inactivity sign-out; null without a session. */
  deadline = $state<number | null>(null);
  dialog = $state<SessionDialog>(null);
  /** Why the last session ended, shown until the next sign-in. */
  ended = $state<SessionChangeReason | null>(null);
  private token: string | null = null;
  private lastReport = 0;
  private readonly readyListeners = new Set<() => void>();
  private readonly offs: (() => void)[] = [];

  constructor(readonly api: ApiClient) {
    this.offs.push(
      api.on('session.changed', ({ session, reason }) => this.applySession(session, reason)),
      api.onLink((link) => {
        if (link === 'connected') void this.refresh();
      }),
    );
    if (api.link === 'connected') void this.refresh();
  }

  /** True once the plant may be loaded: sign-in is not required here, or someone signed in. */
  get mayView(): boolean {
    return this.state !== null && (!this.state.signInRequired || this.current !== null);
  }

  can(permission: Permission): boolean {
    return this.current !== null && can(this.current.roles, permission);
  }

  /** Runs whenever the plant may be (re)loaded: after each connect, and after sign-in where it is required. */
  onReady(listener: () => void): () => void {
    this.readyListeners.add(listener);
    return () => this.readyListeners.delete(listener);
  }

  /** After a (re)connect: take back the session with the kept token, then learn the station's rules. */
  async refresh(): Promise<void> {
    try {
      if (this.token) {
        const { session } = await this.api.call('session.resume', { token: this.token });
        if (!session) this.token = null;
      }
      const state = await this.api.call('session.current', {});
      this.state = state;
      this.applySession(state.session, null);
      if (this.mayView) this.ready();
    } catch (err) {
      console.error(err);
    }
  }

  openSignIn(): void {
    this.dialog = this.state?.setupNeeded && this.state.loopback ? 'firstAdmin' : 'signIn';
  }

  closeDialog(): void {
    this.dialog = null;
  }

  /** Throws the station's refusal (ApiCallError) for the dialog to show. */
  async signIn(user: string, password: string): Promise<void> {
    const wasViewing = this.mayView;
    const { session, token } = await this.api.call('session.signIn', { user, password });
    this.signedIn(session, token, wasViewing);
  }

  async createFirstAdmin(user: string, displayName: string, password: string): Promise<void> {
    const wasViewing = this.mayView;
    const { session, token } = await this.api.call('accounts.createFirstAdmin', { user, displayName, password });
    if (this.state) this.state = { ...this.state, setupNeeded: false };
    this.signedIn(session, token, wasViewing);
  }

  async signOut(): Promise<void> {
    await this.api.call('session.signOut', {});
    this.applySession(null, 'signedOut');
  }

  /**
   * Key or mouse input at this console. True when the inactivity warning was showing: the input
   * keeps the session and the band asks for "any key", so a key does nothing else (a Space meant
   * for the band had acknowledged the selected P1 alarm).
   */
  activity(): boolean {
    if (!this.current || this.deadline === null) return false;
    const now = Date.now();
    const warning = this.deadline - now <= (this.state?.policy.warningMs ?? 0);
    if (!warning && now - this.lastReport < ACTIVITY_REPORT_MS) return false;
    this.lastReport = now;
    void this.api.call('session.activity', {}).then(
      ({ expiresInMs }) => {
        this.deadline = expiresInMs === null ? null : Date.now() + expiresInMs;
      },
      (err: unknown) => console.error(err),
    );
    return warning;
  }

  private signedIn(session: SessionInfo, token: string, wasViewing: boolean): void {
    this.token = token;
    this.dialog = null;
    this.applySession(session, 'signedIn');
    if (!wasViewing && this.mayView) this.ready();
  }

  private applySession(session: SessionInfo | null, reason: SessionChangeReason | null): void {
    const had = this.current;
    this.current = session;
    this.deadline = session ? Date.now() + session.expiresInMs : null;
    this.lastReport = session ? Date.now() : 0;
    if (session) this.ended = null;
    else if (had && reason) this.ended = reason;
    if (!session) this.token = null;
    // Beyond loopback nothing of the plant may stay on screen once nobody is signed in.
    if (had && !session && this.state?.signInRequired) location.reload();
  }

  private ready(): void {
    for (const l of this.readyListeners) l();
  }

  dispose(): void {
    for (const off of this.offs) off();
  }
}

const KEY = Symbol('session');
export const provideSession = (s: ConsoleSession): ConsoleSession => setContext(KEY, s);
export const useSession = (): ConsoleSession => getContext<ConsoleSession>(KEY);
