/**
 * A stand-in for NAT holding its embedded database: opens the folder in argv[2] with NAT's own code (lock file
 * included), runs the SQL in argv[3], prints `{"rows": [...]}` on one line, and keeps the folder open until its
 * stdin closes. Run with node from the repository root after `nx run backend:build`.
 */
const { resolve } = require('node:path');
const { Client } = require('pg');
const { startEmbeddedPostgres } = require(resolve('dist/backend/database/embedded-postgres.js'));

async function main() {
  const database = await startEmbeddedPostgres(process.argv[2]);
  const client = new Client({ connectionString: database.url });
  await client.connect();
  const result = await client.query(process.argv[3]);
  const last = Array.isArray(result) ? result[result.length - 1] : result;
  process.stdout.write(`${JSON.stringify({ rows: last.rows })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    client
      .end()
      .then(() => database.stop())
      .then(() => process.exit(0), fail);
  });
}

function fail(error) {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
}

main().catch(fail);
