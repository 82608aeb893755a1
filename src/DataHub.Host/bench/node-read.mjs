// The Node side of `datahub bench duckdb-read`: streams the same query through the official
// @duckdb/node-api client, touching every value, and prints one JSON line with rows and seconds.
import { DuckDBInstance } from '@duckdb/node-api';

const [databasePath, sql] = process.argv.slice(2);
if (!databasePath || !sql) {
  console.error('usage: node node-read.mjs <database file> <sql>');
  process.exit(2);
}

const instance = await DuckDBInstance.create(databasePath, { access_mode: 'READ_ONLY' });
const connection = await instance.connect();
const started = process.hrtime.bigint();
const result = await connection.stream(sql);
let rows = 0;
let idSum = 0n;
let valueSum = 0;
let textLength = 0;
for (;;) {
  const chunk = await result.fetchChunk();
  if (!chunk || chunk.rowCount === 0) break;
  // Vector-level access (getItem) is the client's fastest way to every value; getColumns() builds
  // intermediate arrays and measured slower here.
  const ids = chunk.getColumnVector(0);
  const values = chunk.getColumnVector(1);
  const labels = chunk.getColumnVector(2);
  for (let i = 0; i < chunk.rowCount; i++) {
    const id = ids.getItem(i);
    if (id !== null) idSum += id;
    const value = values.getItem(i);
    if (value !== null) valueSum += value;
    const label = labels.getItem(i);
    if (label !== null) textLength += label.length;
  }
  rows += chunk.rowCount;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
connection.closeSync();
instance.closeSync();
console.log(JSON.stringify({ rows, seconds, idSum: idSum.toString(), valueSum, textLength }));
