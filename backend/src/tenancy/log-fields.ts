import { type ClsService, ClsServiceManager } from 'nestjs-cls';

/** Who a log line written during a request is about, once the guard and the membership check have said so. */
export interface RequestLogFields {
  user_id?: string;
  tenant_id?: string;
}

const LOG_FIELDS_KEY = 'log_fields';

/**
 * The request's log fields, to fill in. One object per request, made in the request's own context by the first
 * writer (the guard): a transaction runs in a nested context, a copy of the request's, which shares the object,
 * so a tenant set inside it is still on the line logged when the response has gone.
 */
export function requestLogFieldsOf(cls: ClsService): RequestLogFields {
  let fields = cls.get<RequestLogFields | undefined>(LOG_FIELDS_KEY);
  if (!fields) {
    fields = {};
    cls.set(LOG_FIELDS_KEY, fields);
  }
  return fields;
}

/**
 * pino's mixin: read when a line is written, the request log's line included. A child logger per request
 * (nestjs-pino's `assign`) would cost two logger copies on every request, logged or not.
 */
export function requestLogFields(): RequestLogFields {
  const cls = ClsServiceManager.getClsService();
  if (!cls.isActive()) return {};
  return cls.get<RequestLogFields | undefined>(LOG_FIELDS_KEY) ?? {};
}
