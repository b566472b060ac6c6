import { join } from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { static as serveStatic } from 'express';

/** Paths the API owns: unknown ones there keep the JSON error envelope instead of getting the dashboard. */
const API_PATHS = /^\/(api|docs|health|metrics)(\/|-|$)/;
/** Angular's output names carry a content hash (main-MR3FJYQ3.js): those never change, so cache them for good. */
const HASHED_ASSET = /-[A-Z0-9]{8}\.(js|css|woff2?|ttf)$|\/media\//;

/**
 * Serves the dashboard's production build: hashed assets with a long cache, and index.html (never cached)
 * for any other GET, so that deep links such as /opportunities/{id} work after a reload.
 */
export function dashboard(dir: string): RequestHandler[] {
  const index = join(dir, 'index.html');
  const assets = serveStatic(dir, {
    index: false,
    setHeaders: (response, path) =>
      response.setHeader(
        'Cache-Control',
        HASHED_ASSET.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
      ),
  });
  const fallback = (request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || API_PATHS.test(request.path)) {
      next();
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index, (error) => {
      if (error) next(error);
    });
  };
  const assetsOutsideApi = (request: Request, response: Response, next: NextFunction) => {
    if (API_PATHS.test(request.path)) next();
    else void assets(request, response, next);
  };
  return [assetsOutsideApi, fallback];
}
