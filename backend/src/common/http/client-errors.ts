import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { ErrorCode } from '../errors/error-code';

const REASONS: Record<number, string> = { 400: 'Bad Request', 431: 'Request Header Fields Too Large' };

function answer(socket: Socket, status: number, code: ErrorCode, detail: string): void {
  const body = JSON.stringify({ detail, error_code: code });
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Requests Node refuses before Express sees them (a URL or headers over 16 kB, bytes that are no HTTP) get the
 * error envelope too, instead of Node's bare status line.
 */
export function answerClientErrorsWithEnvelope(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    if (error.code === 'HPE_HEADER_OVERFLOW') {
      answer(
        socket,
        431,
        ErrorCode.HEADERS_TOO_LARGE,
        'The URL or the headers are too large (16 kB at most).',
      );
      return;
    }
    answer(socket, 400, ErrorCode.BAD_REQUEST, 'The request is not valid HTTP.');
  });
}
