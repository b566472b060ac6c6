import { BreakpointObserver } from '@angular/cdk/layout';
import { NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSelectModule } from '@angular/material/select';
import { MatSortModule, type Sort } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { debounceTime, map, merge } from 'rxjs';
import type { ListSort, ListStatus, OpportunityDto, Stage } from '../api/models';
import { STAGE } from '../api/models/stage-array';
import { nextActionDate } from '../core/opportunity';
import { PipelineChanges } from '../core/pipeline-changes';
import { pushedCount } from '../core/pushed';
import { TenantStore } from '../core/tenant.store';
import { formatLocalDateTime, formatMoney, relativeDue } from '../core/time';
import { ScopeToggle } from '../team/scope-toggle';
import { TeamDirectory } from '../team/team-directory';
import { TeamScope } from '../team/team-scope';
import { InView } from './in-view';
import {
  DEFAULT_QUERY,
  describeEmpty,
  isFiltered,
  type PipelineQuery,
  queryFromParams,
  queryToParams,
  sameQuery,
  type SortColumn,
  sortColumnOf,
  sortOf,
} from './pipeline-query';
import { PipelineStore } from './pipeline.store';
import { LoadMore } from '../ui/load-more';
import { ErrorState } from '../ui/error-state';

/** Typing pauses this long before the list follows the search box or the value bounds. */
export const SEARCH_DEBOUNCE_MS = 300;

const WIDE_COLUMNS = ['name', 'status', 'stage', 'value', 'next_action_at', 'updated_at'];
const MEDIUM_COLUMNS = ['name', 'status', 'value', 'next_action_at'];
const COMPACT_COLUMNS = ['summary'];

const STATUS_OPTIONS: { value: ListStatus; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'won', label: 'Won' },
  { value: 'lost', label: 'Lost' },
  { value: 'closed', label: 'Closed (won or lost)' },
  { value: 'all', label: 'All' },
];

/** mat-select shows nothing for a null value: "Any stage" needs a value of its own. */
const ANY_STAGE = 'any';

const SORT_OPTIONS: { value: ListSort; label: string }[] = [
  { value: 'next_action_at', label: 'Soonest action' },
  { value: '-next_action_at', label: 'Latest action' },
  { value: '-value', label: 'Highest value' },
  { value: 'value', label: 'Lowest value' },
  { value: '-updated_at', label: 'Recently updated' },
  { value: 'updated_at', label: 'Longest untouched' },
  { value: 'name', label: 'Name A–Z' },
  { value: '-name', label: 'Name Z–A' },
];

const STATUS_LABELS = { open: 'Open', won: 'Won', lost: 'Lost' } as const;
const STATUS_ICONS = { open: 'pending', won: 'emoji_events', lost: 'block' } as const;

const dayThisYear = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const dayOtherYear = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric' });

/** "Nov 21", or "Nov 21, 2025" for another year than the current one. */
function shortDay(at: Date, now: Date): string {
  return (at.getFullYear() === now.getFullYear() ? dayThisYear : dayOtherYear).format(at);
}

/** The row as the table shows it: every string computed once per load, not per change detection. */
interface PipelineRow {
  id: string;
  name: string;
  status: OpportunityDto['status'];
  statusLabel: string;
  statusIcon: string;
  stage: string;
  /** The owner's name in the team view; '' in the user's own list. */
  owner: string;
  unassigned: boolean;
  value: string;
  details: string;
  due: string;
  dueExact: string;
  overdue: boolean;
  pushed: number | null;
  updated: string;
  updatedExact: string;
}

/** Every opportunity of the team, filtered, searched and sorted; the URL holds the view. */
@Component({
  selector: 'nat-pipeline-page',
  imports: [
    ErrorState,
    LoadMore,
    InView,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatProgressSpinnerModule,
    MatSelectModule,
    MatSortModule,
    MatTableModule,
    MatTooltipModule,
    NgTemplateOutlet,
    ReactiveFormsModule,
    RouterLink,
    ScopeToggle,
  ],
  templateUrl: './pipeline-page.html',
  styleUrl: './pipeline-page.scss',
  providers: [PipelineStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PipelinePage {
  protected readonly store = inject(PipelineStore);
  protected readonly tenants = inject(TenantStore);
  protected readonly scope = inject(TeamScope);
  private readonly directory = inject(TeamDirectory);
  private readonly changes = inject(PipelineChanges);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);

  protected readonly statusOptions = STATUS_OPTIONS;
  protected readonly sortOptions = SORT_OPTIONS;
  protected readonly stages: Stage[] = STAGE;
  protected readonly anyStage = ANY_STAGE;

  protected readonly search = new FormControl('', { nonNullable: true });
  protected readonly minValue = new FormControl<number | null>(null, Validators.min(0));
  protected readonly maxValue = new FormControl<number | null>(null, Validators.min(0));

  /** The query in the address bar: the one source of what the page shows. */
  protected readonly query = toSignal(this.route.queryParamMap.pipe(map(queryFromParams)), {
    requireSync: true,
  });
  private readonly layout = toSignal(
    inject(BreakpointObserver)
      .observe(['(max-width: 599.98px)', '(max-width: 839.98px)'])
      .pipe(
        map(({ breakpoints }) =>
          breakpoints['(max-width: 599.98px)']
            ? 'compact'
            : breakpoints['(max-width: 839.98px)']
              ? 'medium'
              : 'wide',
        ),
      ),
    { initialValue: 'wide' },
  );
  protected readonly compact = computed(() => this.layout() === 'compact');
  protected readonly columns = computed(() => {
    const columns =
      this.layout() === 'compact'
        ? COMPACT_COLUMNS
        : this.layout() === 'medium'
          ? MEDIUM_COLUMNS
          : WIDE_COLUMNS;
    // In the team view, who owns each deal comes right after its name.
    return this.scope.team() && columns !== COMPACT_COLUMNS
      ? [columns[0], 'owner', ...columns.slice(1)]
      : columns;
  });
  protected readonly sortState = computed(() => sortColumnOf(this.query().sort));
  protected readonly filtered = computed(() => isFiltered(this.query()));
  protected readonly currency = computed(() => this.tenants.current()?.currency);
  protected readonly emptyExplanation = computed(() =>
    describeEmpty(this.store.query(), (value) => formatMoney(value, this.currency())),
  );
  protected readonly countLabel = computed(() => {
    const count = this.store.items().length;
    const more = this.store.hasMore() ? '+' : '';
    return `${count}${more} ${count === 1 && !more ? 'opportunity' : 'opportunities'}`;
  });
  protected readonly rows = computed(() => {
    const team = this.scope.team();
    return this.store
      .items()
      .map((item) =>
        this.toRow(item, this.store.now(), this.currency(), team ? this.directory.nameOf(item.owner_id) : ''),
      );
  });
  protected readonly filtersOpen = signal(false);
  /** The filters behind the compact layout's "Filters" button that narrow the list right now. */
  protected readonly activeFilterCount = computed(() => {
    const { status, stage, minValue, maxValue } = this.query();
    return [status !== DEFAULT_QUERY.status, stage !== null, minValue !== null, maxValue !== null].filter(
      Boolean,
    ).length;
  });
  protected readonly boundsCrossed = computed(() => {
    const { minValue, maxValue } = this.query();
    return minValue !== null && maxValue !== null && minValue > maxValue;
  });

  protected readonly trackRow = (_index: number, row: PipelineRow): string => row.id;

  /** What this page last wrote to the URL for each typed field: anything else came from a link or Back. */
  private sent: Pick<PipelineQuery, 'q' | 'minValue' | 'maxValue'> | null = null;

  constructor() {
    effect(() => {
      const query = this.query();
      this.tenants.selectedId();
      const team = this.scope.team();
      untracked(() => {
        this.showInInputs(query);
        void this.store.load(query);
        if (team) void this.directory.ensureLoaded();
      });
    });
    let seen = this.changes.version();
    effect(() => {
      const version = this.changes.version();
      if (version === seen) return;
      seen = version;
      untracked(() => void this.store.reload({ quiet: true }));
    });

    this.search.valueChanges
      .pipe(debounceTime(SEARCH_DEBOUNCE_MS), takeUntilDestroyed())
      .subscribe((q) => this.applyQuery({ q: q.trim() }));
    merge(this.minValue.valueChanges, this.maxValue.valueChanges)
      .pipe(debounceTime(SEARCH_DEBOUNCE_MS), takeUntilDestroyed())
      .subscribe(() => {
        if (this.minValue.invalid || this.maxValue.invalid) return;
        this.applyQuery({ minValue: this.minValue.value, maxValue: this.maxValue.value });
      });
  }

  protected selectStatus(status: ListStatus): void {
    this.applyQuery({ status });
  }

  protected selectStage(stage: Stage | typeof ANY_STAGE): void {
    this.applyQuery({ stage: stage === ANY_STAGE ? null : stage });
  }

  protected sortBy({ active, direction }: Sort): void {
    this.applyQuery({ sort: sortOf(active as SortColumn, direction || 'asc') });
  }

  protected selectSort(sort: ListSort): void {
    this.applyQuery({ sort });
  }

  protected clearSearch(): void {
    this.search.setValue('');
    this.applyQuery({ q: '' });
  }

  protected clearFilters(): void {
    this.applyQuery({ ...DEFAULT_QUERY, sort: this.query().sort });
    this.showInInputs(DEFAULT_QUERY, { force: true });
  }

  /** The sentinel below the table came into view: fetch on, unless the last attempt failed (the button retries). */
  protected loadMoreOnScroll(): void {
    if (!this.store.loadMoreError()) void this.store.loadMore();
  }

  private applyQuery(change: Partial<PipelineQuery>): void {
    const current = this.query();
    const next = { ...current, ...change };
    this.sent = { q: next.q, minValue: next.minValue, maxValue: next.maxValue };
    if (sameQuery(next, current)) return;
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: queryToParams(next),
      replaceUrl: true,
    });
  }

  /**
   * Puts a query that came from the URL into the typed fields, unless this page wrote it: the user may have
   * typed on since, and their text must not jump back.
   */
  private showInInputs(query: PipelineQuery, { force = false } = {}): void {
    const sent = this.sent;
    if (
      !force &&
      sent &&
      sent.q === query.q &&
      sent.minValue === query.minValue &&
      sent.maxValue === query.maxValue
    )
      return;
    this.sent = { q: query.q, minValue: query.minValue, maxValue: query.maxValue };
    this.search.setValue(query.q, { emitEvent: false });
    this.minValue.setValue(query.minValue, { emitEvent: false });
    this.maxValue.setValue(query.maxValue, { emitEvent: false });
  }

  private toRow(item: OpportunityDto, now: Date, currency: string | undefined, owner: string): PipelineRow {
    const at = nextActionDate(item);
    const updated = new Date(item.updated_at);
    const closed = item.closed_at ? new Date(item.closed_at) : null;
    return {
      id: item.id,
      name: item.name,
      status: item.status,
      statusLabel: STATUS_LABELS[item.status],
      statusIcon: STATUS_ICONS[item.status],
      stage: item.stage,
      owner,
      unassigned: item.owner_id === null,
      value: formatMoney(item.value, currency),
      details: item.next_action_details ?? (closed ? `Closed ${shortDay(closed, now)}` : ''),
      due: at ? relativeDue(at, now) : '',
      dueExact: at ? formatLocalDateTime(at) : '',
      overdue: at !== null && at < now,
      pushed: pushedCount(item),
      updated: shortDay(updated, now),
      updatedExact: formatLocalDateTime(updated),
    };
  }
}
