import Database from 'better-sqlite3';
import { applyMigration, MIGRATIONS } from '../storage/sqlite/migrations.ts';

/** A database file as an earlier Parley left it: the first `version` migrations applied, in WAL mode. */
export function databaseAtVersion(filename: string, version: number): Database.Database {
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (${version});`);
  for (const step of MIGRATIONS.slice(0, version)) applyMigration(db, step);
  return db;
}
