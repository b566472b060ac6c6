/** A reason not to start that explains itself (bad configuration, a busy data folder): printed without a stack. */
export class StartupError extends Error {
  override name = 'StartupError';
}
