import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportOpenApi } from './bin/export-openapi';

describe('the committed OpenAPI spec', () => {
  it('equals a fresh export of the code (run `make openapi` after changing the API)', async () => {
    const committed = readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8');
    expect(await exportOpenApi()).toBe(committed);
  });

  it('names every operation resource_method and documents an error body for each failure', async () => {
    const spec = JSON.parse(await exportOpenApi()) as {
      paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
    };
    const operations = Object.values(spec.paths).flatMap((path) => Object.values(path));
    expect(operations.length).toBeGreaterThanOrEqual(10);
    for (const operation of operations) {
      expect(operation.operationId).toMatch(/^[a-z][A-Za-z]*_[a-z][A-Za-z]*$/);
    }
    const due = spec.paths['/api/v1/opportunities/due'].get;
    expect(Object.keys(due.responses).sort()).toEqual(['200', '400', '401', '403', '503']);
  });
});
