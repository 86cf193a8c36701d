// `npm run migrate`: applies pending migrations to DATA_DIR's database (the service also does this at start).
import { ConfigError, loadConfig } from '../server/config';
import { openDatabase } from '../storage/database';

try {
  const db = openDatabase(loadConfig().dataDir, (applied) =>
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply: the database is up to date.'),
  );
  db.close();
} catch (error) {
  console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
  process.exit(1);
}
