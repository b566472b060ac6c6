import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { tenantInterceptor } from './tenant.interceptor';
import { TenantStore } from './tenant.store';

describe('tenantInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let tenants: TenantStore;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([tenantInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    tenants = TestBed.inject(TenantStore);
  });

  afterEach(() => backend.verify());

  it('sends the selected tenant on API calls', () => {
    tenants.select('demo-tenant-2');
    http.get('/api/v1/opportunities/due').subscribe();
    expect(backend.expectOne('/api/v1/opportunities/due').request.headers.get('X-Tenant-ID')).toBe(
      'demo-tenant-2',
    );
  });

  it('follows a tenant switch on the next call', () => {
    tenants.select('demo-tenant-1');
    http.get('/api/v1/opportunities/due').subscribe();
    backend.expectOne('/api/v1/opportunities/due').flush([]);
    tenants.select('demo-tenant-2');
    http.get('/api/v1/opportunities/due').subscribe();
    expect(backend.expectOne('/api/v1/opportunities/due').request.headers.get('X-Tenant-ID')).toBe(
      'demo-tenant-2',
    );
  });

  it('adds nothing before a tenant is chosen, nor to other hosts', () => {
    http.get('/api/v1/tenants').subscribe();
    expect(backend.expectOne('/api/v1/tenants').request.headers.has('X-Tenant-ID')).toBe(false);
    tenants.select('demo-tenant-1');
    http.get('https://example.com/x').subscribe();
    expect(backend.expectOne('https://example.com/x').request.headers.has('X-Tenant-ID')).toBe(false);
  });

  it('sends no team with calls about the user rather than a team', () => {
    tenants.select('demo-tenant-1');
    http.post('/api/v1/auth/refresh', {}).subscribe();
    expect(backend.expectOne('/api/v1/auth/refresh').request.headers.has('X-Tenant-ID')).toBe(false);
    http.post('/api/v1/signup', {}).subscribe();
    expect(backend.expectOne('/api/v1/signup').request.headers.has('X-Tenant-ID')).toBe(false);
  });

  it('keeps the choice across reloads', () => {
    tenants.select('demo-tenant-2');
    expect(localStorage.getItem('nat.tenant')).toBe('demo-tenant-2');
  });
});
