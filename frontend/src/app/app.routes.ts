import type { Routes } from '@angular/router';

export const routes: Routes = [
  {
    path: '',
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
  { path: '**', redirectTo: '' },
];
