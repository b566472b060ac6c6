import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ApiError } from './api-error';
import {
  DatabaseUnavailable,
  isDatabaseUnavailable,
  isPoolExhausted,
  ServerBusy,
} from './database-unavailable';
import { ErrorCode } from './error-code';

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: ErrorCode.BAD_REQUEST,
  [HttpStatus.NOT_FOUND]: ErrorCode.NOT_FOUND,
  [HttpStatus.METHOD_NOT_ALLOWED]: ErrorCode.METHOD_NOT_ALLOWED,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ErrorCode.PAYLOAD_TOO_LARGE,
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
};

/**
 * Maps every failure to `{ detail, error_code, errors? }`. Unknown errors become a bare 500:
 * no stack, SQL or internal names ever leave the process; they go to the log instead.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = this.toApiError(exception, host);
    if (error.code === ErrorCode.DATABASE_UNAVAILABLE || error.code === ErrorCode.SERVER_BUSY) {
      this.logger.warn(
        `Database unavailable: ${exception instanceof Error ? exception.message : String(exception)}`,
      );
    }
    if (error.code === ErrorCode.INTERNAL_ERROR) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
    response.status(error.status).json(error.toBody());
  }

  private toApiError(exception: unknown, host: ArgumentsHost): ApiError {
    if (exception instanceof ApiError) return exception;
    if (exception instanceof HttpException) return this.fromHttpException(exception, host);
    if (isPoolExhausted(exception)) return new ServerBusy();
    if (isDatabaseUnavailable(exception)) return new DatabaseUnavailable();
    return new ApiError(ErrorCode.INTERNAL_ERROR, 'An unexpected error occurred. It has been logged.');
  }

  private fromHttpException(exception: HttpException, host: ArgumentsHost): ApiError {
    const status: HttpStatus = exception.getStatus();
    if (status === HttpStatus.NOT_FOUND) {
      const request = host.switchToHttp().getRequest<{ method: string; path: string }>();
      return new ApiError(ErrorCode.NOT_FOUND, `No route for ${request.method} ${request.path}`);
    }
    // Terminus answers 503 when the readiness check's database ping fails.
    if (status === HttpStatus.SERVICE_UNAVAILABLE) return new DatabaseUnavailable();
    const code = CODE_BY_STATUS[status];
    if (code) return new ApiError(code, exception.message);
    if (Number(status) >= 500)
      return new ApiError(ErrorCode.INTERNAL_ERROR, 'An unexpected error occurred. It has been logged.');
    return new ApiError(ErrorCode.BAD_REQUEST, exception.message);
  }
}
