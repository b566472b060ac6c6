import { fetchDuePage, tenantHeaders, type Session } from './api-client';
import { decodeDueCursor, type DueCursor } from './due-query';
import { DUE_FIRST_PATH, type TargetName } from './scenarios';
import type { ServerProcess } from './server-process';

export interface LaterPage {
  /** The API's second page, as its first page's Link header names it. */
  path: string;
  cursor: DueCursor;
}

/** The later page the runs request: the one the API's own first answer links to. */
export async function laterPageOf(api: ServerProcess, session: Session): Promise<LaterPage> {
  const first = await fetchDuePage(api.origin, DUE_FIRST_PATH, tenantHeaders(session));
  if (!first.nextPath) {
    throw new Error(
      `The due list of ${session.tenantId} has a single page: the seed holds too few due deals`,
    );
  }
  const cursor = new URL(first.nextPath, 'http://nat').searchParams.get('cursor') ?? '';
  return { path: first.nextPath, cursor: decodeDueCursor(cursor) };
}

/**
 * Whether the baseline answers both pages with the same ids in the same order as the API: otherwise it would
 * not be the same query, and the ratios would mean nothing.
 */
export async function compareAnswers(
  servers: Record<TargetName, ServerProcess>,
  session: Session,
  laterPage: LaterPage,
): Promise<{ pass: boolean; detail: string }> {
  const headers = tenantHeaders(session);
  const same = async (path: string) => {
    const nat = await fetchDuePage(servers.NAT.origin, path, headers);
    const baseline = await fetchDuePage(servers.baseline.origin, path, headers);
    const equal = nat.ids.length === baseline.ids.length && nat.ids.every((id, i) => id === baseline.ids[i]);
    return `${equal ? 'same' : 'DIFFERENT'} ${nat.ids.length} ids`;
  };
  const first = await same(DUE_FIRST_PATH);
  const later = await same(laterPage.path);
  return {
    pass: !`${first} ${later}`.includes('DIFFERENT'),
    detail: `first page ${first}, later page ${later}`,
  };
}
