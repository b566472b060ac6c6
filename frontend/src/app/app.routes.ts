import type { Routes } from '@angular/router';
import { adminGuard, signedInGuard, signedOutGuard } from './core/auth.guards';

export const routes: Routes = [
  {
    path: 'sign-in',
    title: 'Sign in · NAT',
    canActivate: [signedOutGuard],
    loadComponent: () => import('./auth/sign-in-page').then((m) => m.SignInPage),
  },
  {
    path: 'invitation',
    title: 'Join your team · NAT',
    loadComponent: () => import('./auth/invitation-page').then((m) => m.InvitationPage),
  },
  {
    path: '',
    canActivate: [signedInGuard],
    canActivateChild: [signedInGuard],
    loadComponent: () => import('./shell/shell').then((m) => m.Shell),
    children: [
      {
        path: '',
        pathMatch: 'full',
        title: 'Due today · NAT',
        loadComponent: () => import('./due-actions/due-page').then((m) => m.DuePage),
      },
      {
        path: 'upcoming',
        title: 'Upcoming · NAT',
        loadComponent: () => import('./upcoming/upcoming-page').then((m) => m.UpcomingPage),
      },
      {
        path: 'opportunities',
        pathMatch: 'full',
        title: 'All opportunities · NAT',
        loadComponent: () => import('./pipeline/pipeline-page').then((m) => m.PipelinePage),
      },
      {
        path: 'opportunities/:id',
        title: 'Opportunity · NAT',
        loadComponent: () => import('./opportunity/opportunity-page').then((m) => m.OpportunityPage),
      },
      {
        path: 'members',
        title: 'Members · NAT',
        canActivate: [adminGuard],
        loadComponent: () => import('./members/members-page').then((m) => m.MembersPage),
      },
      {
        path: 'audit',
        title: 'Audit log · NAT',
        canActivate: [adminGuard],
        loadComponent: () => import('./audit/audit-page').then((m) => m.AuditPage),
      },
      {
        path: 'account/password',
        title: 'Change password · NAT',
        loadComponent: () => import('./account/password-page').then((m) => m.PasswordPage),
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
