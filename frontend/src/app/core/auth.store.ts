import { HttpErrorResponse } from '@angular/common/http';
import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { Router } from '@angular/router';
import { Api } from '../api/api';
import {
  authAcceptInvitation,
  authChangePassword,
  authLogin,
  authLogout,
  authRefresh,
} from '../api/functions';
import type { MeDto, SessionDto } from '../api/models';
import { TeamDirectory } from '../team/team-directory';
import { TeamScope } from '../team/team-scope';
import { TenantStore } from './tenant.store';

export type SessionStatus = 'restoring' | 'signed-in' | 'signed-out';

/** Renew this long before the access token runs out, so requests never meet an expired one. */
export const RENEW_BEFORE_EXPIRY_MS = 60_000;
/** After a refresh that could not reach the server, try again this much later (while the token still lasts). */
export const RENEW_RETRY_MS = 30_000;
/** Tabs of the same browser share the refresh cookie: one refresh at a time, and a sign-out signs out all. */
const REFRESH_LOCK = 'nat.session.refresh';
const SESSION_CHANNEL = 'nat.session';

interface AccessToken {
  value: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** Only paths of this app: a returnUrl from the address bar must not send the user to another site. */
export function safeReturnUrl(url: string | null | undefined): string {
  if (!url || !url.startsWith('/') || url.startsWith('//') || url.startsWith('/sign-in')) return '/';
  return url;
}

/**
 * The signed-in user and their access token, kept in memory only: the refresh token lives in the httpOnly
 * cookie the API sets (`cookie: true`), so a reload restores the session with POST /auth/refresh and no script
 * can read either token from storage.
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly api = inject(Api);
  private readonly router = inject(Router);
  private readonly tenants = inject(TenantStore);
  private readonly directory = inject(TeamDirectory);
  private readonly scope = inject(TeamScope);

  private readonly token = signal<AccessToken | null>(null);
  readonly user = signal<MeDto | null>(null);
  readonly status = signal<SessionStatus>('restoring');
  readonly signedIn = computed(() => this.status() === 'signed-in');

  private renewal: Promise<string | null> | null = null;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  private restoring: Promise<void> | null = null;
  private readonly channel =
    typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(SESSION_CHANNEL);

  constructor() {
    this.channel?.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (event.data !== 'signed-out' || !this.signedIn()) return;
      void this.endSession({ notifyServer: false }).then(() => this.router.navigateByUrl('/sign-in'));
    });
    inject(DestroyRef).onDestroy(() => {
      clearTimeout(this.renewTimer);
      this.channel?.close();
    });
  }

  accessToken(): string | null {
    return this.token()?.value ?? null;
  }

  /** The token is gone or about to run out: a request would only come back 401. */
  needsRenewal(now = Date.now()): boolean {
    const token = this.token();
    return token !== null && token.expiresAt - now < 5_000;
  }

  /** At start: the session of the refresh cookie, if there is one. Never fails; resolves once the status is known. */
  restore(): Promise<void> {
    this.restoring ??= this.renew().then(() => {
      if (this.status() === 'restoring') this.status.set('signed-out');
    });
    return this.restoring;
  }

  /** Resolves once the session at start is known (signed in or not). */
  whenRestored(): Promise<void> {
    return this.restoring ?? Promise.resolve();
  }

  async signIn(email: string, password: string): Promise<MeDto> {
    const session = await this.api.invoke(authLogin, { body: { email, password, cookie: true } });
    return this.start(session);
  }

  /** Sets the invited user's password and signs them in. */
  async acceptInvitation(token: string, password: string): Promise<MeDto> {
    const session = await this.api.invoke(authAcceptInvitation, { body: { token, password, cookie: true } });
    return this.start(session);
  }

  /** The API signs the user's other sessions out; this one stays signed in. */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.api.invoke(authChangePassword, {
      body: { current_password: currentPassword, new_password: newPassword },
    });
  }

  /** Revokes the refresh token (best effort: the local session ends even when the server cannot be reached). */
  async signOut(): Promise<void> {
    await this.endSession({ notifyServer: true });
    this.channel?.postMessage('signed-out');
    await this.router.navigateByUrl('/sign-in');
  }

  /**
   * A fresh access token after `rejected` was refused (or ran out), shared by every caller while one refresh is
   * in flight. Null when there is none; when the session is over, the user is sent to sign in again (and back
   * here afterwards).
   */
  async renewAfter(rejected: string | null): Promise<string | null> {
    const current = this.accessToken();
    if (current && current !== rejected && !this.needsRenewal()) return current;
    const fresh = await this.renew();
    if (!fresh && this.status() === 'signed-out') await this.sendToSignIn();
    return fresh;
  }

  /** One POST /auth/refresh at a time (in this tab, and across tabs where the browser has Web Locks). */
  private renew(): Promise<string | null> {
    this.renewal ??= this.withRefreshLock(() => this.refreshOnce()).finally(() => (this.renewal = null));
    return this.renewal;
  }

  /** The new access token; null when the refresh was refused (the session is cleared) or could not be sent. */
  private async refreshOnce(): Promise<string | null> {
    try {
      const session = await this.api.invoke(authRefresh, { body: {} });
      this.start(session);
      return session.access_token;
    } catch (error) {
      const unreachable = error instanceof HttpErrorResponse && error.status === 0;
      if (unreachable && this.token()) this.scheduleRenewal(RENEW_RETRY_MS);
      else this.clear();
      return null;
    }
  }

  private async withRefreshLock(task: () => Promise<string | null>): Promise<string | null> {
    const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
    return locks ? await locks.request(REFRESH_LOCK, task) : task();
  }

  private start(session: SessionDto): MeDto {
    // Someone else signed in here (e.g. through an invitation link): nothing loaded for the last user stays.
    if (this.user() && this.user()?.id !== session.user.id) this.forgetUserData();
    const lifetime = session.expires_in * 1000;
    this.token.set({ value: session.access_token, expiresAt: Date.now() + lifetime });
    this.user.set(session.user);
    this.status.set('signed-in');
    this.scheduleRenewal(Math.max(lifetime - RENEW_BEFORE_EXPIRY_MS, lifetime / 2));
    return session.user;
  }

  private scheduleRenewal(delay: number): void {
    clearTimeout(this.renewTimer);
    this.renewTimer = setTimeout(() => {
      void this.renew().then(async (fresh) => {
        if (!fresh && this.status() === 'signed-out') await this.sendToSignIn();
      });
    }, delay);
  }

  /** The session ended without the user asking: sign in again, then come back to this page. */
  private async sendToSignIn(): Promise<void> {
    const here = this.router.url;
    if (here.startsWith('/sign-in') || here.startsWith('/invitation')) return;
    const returnUrl = safeReturnUrl(here);
    await this.router.navigate(['/sign-in'], { queryParams: returnUrl === '/' ? {} : { returnUrl } });
  }

  private async endSession({ notifyServer }: { notifyServer: boolean }): Promise<void> {
    // The interceptor renews an expired access token first: logging out needs one, and must reach the server,
    // or the refresh cookie would sign the user in again on the next reload.
    if (notifyServer && this.token()) {
      await this.api.invoke(authLogout, { body: {} }).catch(() => undefined);
    }
    this.clear();
  }

  /** Forgets the user and everything loaded for them. */
  private clear(): void {
    clearTimeout(this.renewTimer);
    this.token.set(null);
    this.user.set(null);
    if (this.status() !== 'restoring') this.status.set('signed-out');
    this.forgetUserData();
  }

  private forgetUserData(): void {
    this.tenants.reset();
    this.directory.reset();
    this.scope.reset();
  }
}
