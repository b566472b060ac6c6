import { setTimeout as sleep } from 'node:timers/promises';
import { BENCH_PASSWORD } from './bench-data';

/** A signed-in bench user: what every tenant request of a phase carries. */
export interface Session {
  email: string;
  role: string;
  tenantId: string;
  accessToken: string;
  userId: string;
}

interface SessionAnswer {
  access_token: string;
  user: { id: string; memberships: { tenant_id: string; role: string }[] };
}

/** How long a sign-in keeps trying while the API is still busy with the backlog of the previous run. */
const SIGN_IN_PATIENCE_MS = 60_000;

/**
 * Signs in through the API, as a client would. Access tokens last 15 minutes, so the bench signs in again
 * before each run rather than keeping one token for the whole bench. A busy API (503, a timeout) gets retried:
 * a saturated run can leave work queued behind it, and the next run should start once it is done.
 */
export async function signIn(origin: string, email: string, tenantId: string): Promise<Session> {
  const deadline = Date.now() + SIGN_IN_PATIENCE_MS;
  for (;;) {
    const attempt = await trySignIn(origin, email).catch((error: Error) => ({
      status: 0,
      text: error.message,
    }));
    if ('answer' in attempt) return sessionOf(attempt.answer, email, tenantId);
    const transient = attempt.status === 0 || attempt.status >= 500;
    if (!transient || Date.now() > deadline) {
      throw new Error(`Sign-in of ${email} answered ${attempt.status}: ${attempt.text}`);
    }
    await sleep(1000);
  }
}

async function trySignIn(
  origin: string,
  email: string,
): Promise<{ answer: SessionAnswer } | { status: number; text: string }> {
  const response = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: BENCH_PASSWORD }),
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status === 200) return { answer: (await response.json()) as SessionAnswer };
  return { status: response.status, text: await response.text() };
}

function sessionOf(answer: SessionAnswer, email: string, tenantId: string): Session {
  const membership = answer.user.memberships.find((m) => m.tenant_id === tenantId);
  if (!membership) throw new Error(`${email} is not a member of ${tenantId}`);
  return {
    email,
    role: membership.role,
    tenantId,
    accessToken: answer.access_token,
    userId: answer.user.id,
  };
}

export function tenantHeaders(session: Session): Record<string, string> {
  return { authorization: `Bearer ${session.accessToken}`, 'x-tenant-id': session.tenantId };
}

export interface DuePage {
  ids: string[];
  /** The path of the next page, from the `Link: <…>; rel="next"` header. */
  nextPath?: string;
}

/** One due page, through the API or the baseline (same path and headers; the baseline ignores the token). */
export async function fetchDuePage(
  origin: string,
  path: string,
  headers: Record<string, string>,
): Promise<DuePage> {
  const response = await fetch(origin + path, { headers });
  if (response.status !== 200) {
    throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
  }
  const rows = (await response.json()) as Record<string, unknown>[];
  const link = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '');
  return { ids: rows.map((row) => String(row.id ?? row.o_id)), nextPath: link?.[1] };
}
