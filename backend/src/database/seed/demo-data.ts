import type { OpenStage, Outcome } from '../../opportunities/stage';

/**
 * When a demo action is due, relative to the moment of seeding, in the tenant's time zone:
 * a day offset at a local hour, or a point earlier or later today (so "overdue" and "due today" both exist).
 */
export type DemoDue = { days: number; hour: number } | 'earlier-today' | 'later-today';

export interface DemoOpportunity {
  name: string;
  value: number;
  stage: OpenStage;
  details: string;
  due: DemoDue;
  /** Completed actions, oldest first: what was done and how many days ago. */
  history?: { details: string; daysAgo: number; notes?: string }[];
  /** Times the current action was pushed without being done, oldest first. */
  pushes?: { daysAgo: number; reason: string }[];
  /** A deal that has left the pipeline: its next action was dropped when it closed. */
  closed?: { outcome: Outcome; daysAgo: number; reason?: string };
}

export interface DemoTenant {
  id: string;
  name: string;
  timezone: string;
  currency: string;
  /** Owners of the demo deals, in turn (emails of DEMO_USERS who are members of this tenant). */
  owners: string[];
  opportunities: DemoOpportunity[];
}

export const DEMO_PASSWORD = 'demo-password';

export interface DemoUser {
  email: string;
  name: string;
  timezone: string;
  memberships: { tenantId: string; role: 'rep' | 'manager' | 'admin' }[];
}

/** Every role, in both tenants: the README lists them, and the first seeding prints them. */
export const DEMO_USERS: DemoUser[] = [
  {
    email: 'rep@demo-tenant-1.test',
    name: 'Riley Rep',
    timezone: 'America/New_York',
    memberships: [{ tenantId: 'demo-tenant-1', role: 'rep' }],
  },
  {
    email: 'rep@demo-tenant-2.test',
    name: 'Robin Rep',
    timezone: 'Europe/Berlin',
    memberships: [{ tenantId: 'demo-tenant-2', role: 'rep' }],
  },
  {
    email: 'manager@demo-tenant-1.test',
    name: 'Morgan Manager',
    timezone: 'America/New_York',
    memberships: [
      { tenantId: 'demo-tenant-1', role: 'manager' },
      { tenantId: 'demo-tenant-2', role: 'manager' },
    ],
  },
  {
    email: 'admin@demo-tenant-1.test',
    name: 'Avery Admin',
    timezone: 'America/New_York',
    memberships: [{ tenantId: 'demo-tenant-1', role: 'admin' }],
  },
];

export const DEMO_TENANTS: DemoTenant[] = [
  {
    id: 'demo-tenant-1',
    name: 'Demo Sales Team',
    timezone: 'America/New_York',
    currency: 'USD',
    owners: ['rep@demo-tenant-1.test', 'rep@demo-tenant-1.test', 'manager@demo-tenant-1.test'],
    opportunities: [
      {
        name: 'Acme Corp Deal',
        value: 50000,
        stage: 'Proposal',
        details: 'Follow up on proposal feedback',
        due: { days: -1, hour: 10 },
        history: [
          {
            details: 'Discovery call with the operations lead',
            daysAgo: 14,
            notes: 'Pain: manual scheduling',
          },
          { details: 'Send proposal', daysAgo: 6, notes: 'Sent v1 with three tiers' },
        ],
      },
      {
        name: 'Enterprise Software Deal - $75,000',
        value: 75000,
        stage: 'Qualification',
        details: 'Follow up on technical questions',
        due: 'later-today',
        history: [{ details: 'Technical deep-dive with their architects', daysAgo: 3 }],
      },
      {
        name: 'Marketing Agency Contract - $25,000',
        value: 25000,
        stage: 'Proposal',
        details: 'Review proposal feedback',
        due: { days: -1, hour: 15 },
      },
      {
        name: 'Globex Renewal',
        value: 120000,
        stage: 'Negotiation',
        details: 'Send the revised MSA with the new liability cap',
        due: { days: -4, hour: 11 },
        history: [{ details: 'Legal review call', daysAgo: 9, notes: 'They want a lower liability cap' }],
        pushes: [
          { daysAgo: 7, reason: 'Their legal team is out this week' },
          { daysAgo: 5, reason: 'Waiting for the signed NDA' },
        ],
      },
      {
        name: 'Initrode Annual License',
        value: 36000,
        stage: 'Negotiation',
        details: 'Collect the signed order form',
        due: { days: -3, hour: 10 },
        history: [{ details: 'Final pricing call', daysAgo: 6, notes: 'Agreed on annual billing' }],
        closed: { outcome: 'won', daysAgo: 2, reason: 'Signed the annual plan' },
      },
      {
        name: 'Vandelay Industries Import',
        value: 54000,
        stage: 'Proposal',
        details: 'Follow up on the proposal',
        due: { days: -8, hour: 15 },
        closed: { outcome: 'lost', daysAgo: 4, reason: 'Chose a cheaper local vendor' },
      },
      {
        name: 'Initech Seat Expansion',
        value: 18000,
        stage: 'Negotiation',
        details: 'Confirm seat count with procurement',
        due: 'earlier-today',
      },
      {
        name: 'Umbrella Health Pilot',
        value: 42000,
        stage: 'Qualification',
        details: 'Book the security questionnaire review',
        due: 'later-today',
      },
      {
        name: 'Stark Industries POC',
        value: 95000,
        stage: 'Prospecting',
        details: 'Intro call with the VP of Engineering',
        due: { days: -2, hour: 9 },
      },
      {
        name: 'Wayne Enterprises Upsell',
        value: 60000,
        stage: 'Proposal',
        details: 'Walk the CFO through the ROI model',
        due: { days: 1, hour: 14 },
      },
      {
        name: 'Hooli Analytics Add-on',
        value: 12500,
        stage: 'Prospecting',
        details: 'Send the analytics one-pager',
        due: { days: 2, hour: 10 },
      },
      {
        name: 'Soylent Distribution Deal',
        value: 33000,
        stage: 'Qualification',
        details: 'Qualify budget and timeline with the buyer',
        due: { days: 3, hour: 16 },
      },
      {
        name: 'Cyberdyne Systems Platform',
        value: 250000,
        stage: 'Negotiation',
        details: 'Align on the payment schedule',
        due: { days: 5, hour: 11 },
      },
      {
        name: 'Tyrell Corp Onboarding',
        value: 8000,
        stage: 'Prospecting',
        details: 'Research the new procurement contact',
        due: { days: 8, hour: 9 },
      },
      {
        name: 'Massive Dynamic Multi-year',
        value: 180000,
        stage: 'Proposal',
        details: 'Prepare the three-year pricing option',
        due: { days: 12, hour: 13 },
      },
    ],
  },
  {
    id: 'demo-tenant-2',
    name: 'Northwind Traders EU',
    timezone: 'Europe/Berlin',
    currency: 'EUR',
    owners: ['rep@demo-tenant-2.test', 'rep@demo-tenant-2.test', 'manager@demo-tenant-1.test'],
    opportunities: [
      {
        name: 'Contoso Logistics Rollout',
        value: 64000,
        stage: 'Negotiation',
        details: 'Call the COO about the go-live date',
        due: { days: -3, hour: 10 },
        history: [{ details: 'Pricing workshop', daysAgo: 10, notes: 'Agreed on volume discount' }],
      },
      {
        name: 'Fabrikam Retail Pilot',
        value: 15000,
        stage: 'Qualification',
        details: 'Send the pilot success criteria',
        due: { days: -1, hour: 9 },
      },
      {
        name: 'Adventure Works Renewal',
        value: 48000,
        stage: 'Proposal',
        details: 'Follow up on the renewal quote',
        due: 'earlier-today',
      },
      {
        name: 'Tailspin Toys Expansion',
        value: 22000,
        stage: 'Prospecting',
        details: 'Discovery call with the new head of sales',
        due: 'later-today',
      },
      {
        name: 'Wide World Importers Deal',
        value: 87000,
        stage: 'Negotiation',
        details: 'Send the signed order form for countersignature',
        due: 'later-today',
      },
      {
        name: 'Litware Security Bundle',
        value: 31000,
        stage: 'Proposal',
        details: 'Answer the DPA questions from legal',
        due: { days: -6, hour: 14 },
        pushes: [
          { daysAgo: 10, reason: 'Their DPO is on holiday' },
          { daysAgo: 8, reason: 'Legal asked for more time' },
          { daysAgo: 7, reason: 'Rescheduled by the customer' },
        ],
      },
      {
        name: 'Lucerne Publishing Bundle',
        value: 19000,
        stage: 'Qualification',
        details: 'Send the reference customer list',
        due: { days: -5, hour: 11 },
        closed: { outcome: 'won', daysAgo: 1, reason: 'Signed after the reference call' },
      },
      {
        name: 'Proseware Training Package',
        value: 9500,
        stage: 'Qualification',
        details: 'Confirm the number of trainees',
        due: { days: 1, hour: 11 },
      },
      {
        name: 'Woodgrove Bank Integration',
        value: 140000,
        stage: 'Proposal',
        details: 'Present the integration architecture',
        due: { days: 2, hour: 15 },
      },
      {
        name: 'Coho Winery Subscription',
        value: 6000,
        stage: 'Prospecting',
        details: 'Send a case study from a similar customer',
        due: { days: 4, hour: 10 },
      },
      {
        name: 'Alpine Ski House Season Deal',
        value: 27000,
        stage: 'Negotiation',
        details: 'Agree on the seasonal payment terms',
        due: { days: 6, hour: 9 },
      },
      {
        name: 'Margie Travel Platform',
        value: 53000,
        stage: 'Qualification',
        details: 'Map the decision makers',
        due: { days: 9, hour: 16 },
      },
      {
        name: 'Blue Yonder Airlines Fleet',
        value: 310000,
        stage: 'Prospecting',
        details: 'Intro meeting at their Frankfurt office',
        due: { days: 14, hour: 10 },
      },
    ],
  },
];
