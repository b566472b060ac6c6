import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { json } from 'express';
import { ApiError } from '../errors/api-error';
import { ErrorCode } from '../errors/error-code';

/** body-parser tags its errors with a `type` such as `entity.parse.failed`. */
function typeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'type' in error && typeof error.type === 'string'
    ? error.type
    : undefined;
}

function toApiError(error: unknown): ApiError {
  switch (typeOf(error)) {
    case 'entity.parse.failed':
      return new ApiError(ErrorCode.MALFORMED_JSON, 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new ApiError(ErrorCode.PAYLOAD_TOO_LARGE, 'The request body is larger than 100 kB.');
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'The request body encoding is not supported.');
    default:
      return new ApiError(ErrorCode.BAD_REQUEST, 'The request body could not be read.');
  }
}

/**
 * The API's only body parser: JSON. A body of another type is refused (415) rather than silently ignored, and
 * parse failures become the error envelope instead of leaking the parser's message.
 */
export function jsonBody(): RequestHandler {
  const parse = json({ limit: '100kb' });
  return (request: Request, response: Response, next: NextFunction) => {
    // Most requests (every GET) carry no body: nothing to check or read.
    if (
      request.headers['content-length'] === undefined &&
      request.headers['transfer-encoding'] === undefined
    ) {
      next();
      return;
    }
    // An empty body (Content-Length: 0) has no type to check; validation then reports the missing fields.
    const empty =
      request.headers['content-length'] === '0' && request.headers['transfer-encoding'] === undefined;
    if (!empty && request.is(['application/json', 'application/*+json']) === false) {
      next(new ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Send the request body as application/json.'));
      return;
    }
    parse(request, response, (error?: unknown) =>
      next(error === undefined || error === null ? undefined : toApiError(error)),
    );
  };
}
