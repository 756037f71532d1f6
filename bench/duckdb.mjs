// duckdb.mjs — the same aggregation as `grouprev report` in DuckDB, for
// the benchmark: quarter x payer sums with the dated rate join, and the
// group-size denial counts.  usage: node duckdb.mjs ATTENDANCE.csv RATES_DIR THREADS
import { DuckDBInstance } from '@duckdb/node-api';

const [file, rates, threads] = process.argv.slice(2);
const inst = await DuckDBInstance.create(':memory:', { threads: String(threads || 2) });
const con = await inst.connect();
const t0 = performance.now();
await con.run(`CREATE TABLE a AS SELECT * FROM read_csv('${file}', header = true,
  types = {'date': 'DATE', 'paid': 'DECIMAL(12,2)', 'pos': 'VARCHAR', 'minutes': 'INTEGER'})`);
await con.run(`CREATE TABLE r AS SELECT * FROM read_csv('${rates}/rates.csv', header = true,
  types = {'from': 'DATE', 'to': 'DATE', 'low': 'DECIMAL(12,2)', 'expected': 'DECIMAL(12,2)', 'high': 'DECIMAL(12,2)'})`);
await con.run(`CREATE TABLE p AS
  WITH s AS (SELECT session_id, count(*) FILTER (WHERE attended) AS size FROM a GROUP BY session_id)
  SELECT a.*, s.size, r.expected, r.low, r.high
  FROM a JOIN s USING (session_id)
  LEFT JOIN r ON r.payer_id = a.payer_id AND r.code = '90853'
   AND (r.setting IS NULL OR r.setting = CASE WHEN a.pos IN ('02','19','21','22','23','24','26','31','34','41','42','51','52','53','56','61') THEN 'facility' ELSE 'office' END)
   AND a.date BETWEEN r."from" AND coalesce(r."to", DATE '2199-12-31')
  WHERE a.attended`);
const summary = await con.runAndReadAll(`SELECT year(date) || 'Q' || quarter(date) AS q, payer_id,
  count(*), sum(expected), sum(low), sum(high), sum(paid),
  count(*) FILTER (WHERE status IN ('paid', 'denied')), count(*) FILTER (WHERE status = 'denied')
  FROM p GROUP BY ALL ORDER BY ALL`);
const sizes = await con.runAndReadAll(`SELECT size, count(*) FILTER (WHERE status IN ('paid','denied')),
  count(*) FILTER (WHERE status = 'denied') FROM p GROUP BY size ORDER BY size`);
const t1 = performance.now();
console.log(`${summary.getRows().length} summary rows, ${sizes.getRows().length} sizes, ${((t1 - t0) / 1000).toFixed(3)} s inside DuckDB`);
