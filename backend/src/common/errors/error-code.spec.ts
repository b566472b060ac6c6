import { ErrorCode, httpStatusOf } from './error-code';

describe('error codes', () => {
  it.each(Object.values(ErrorCode))('%s has a 4xx or 5xx status', (code) => {
    const status = httpStatusOf(code);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(600);
  });

  it('answers client mistakes with 4xx and only INTERNAL_ERROR and the unavailable ones with 5xx', () => {
    const serverSide = Object.values(ErrorCode).filter((code) => Number(httpStatusOf(code)) >= 500);
    expect(serverSide.sort()).toEqual([
      ErrorCode.DATABASE_UNAVAILABLE,
      ErrorCode.INTERNAL_ERROR,
      ErrorCode.SERVER_BUSY,
      ErrorCode.SERVICE_UNAVAILABLE,
    ]);
  });
});
