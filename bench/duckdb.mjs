// duckdb.mjs — the same aggregation as `grouprev report` in DuckDB, for
// the benchmark: quarter x payer sums with the dated rate join, and the
// group-size denial counts.
//
//   node duckdb.mjs ATTENDANCE.csv RATES_DIR THREADS [lean|wide [OUT]]
//
// With OUT (a folder grouprev report wrote from the same files), the lean
// sums are compared with OUT/summary.csv and OUT/sizes.csv after the
// timing and each differing row is printed.  Medicare rows differ by the
// credential share (75% for LCSW, LMFT, LPC and LMHC, 85% for NP, PA and
// CNS; rate-tables/payers.csv), which only grouprev applies.
//
// lean (the default, and the benchmark's reference): the fastest of the
// queries tried on 2026-11-26 — only the seven columns the sums need, the
// group size from a GROUP BY joined back, both tables in one pass with
// GROUPING SETS (docs/performance.md lists the others and their times).
// wide: the benchmark's first query (until 2026-11-26), which copies all
// twenty columns into a table and joins them into a second one before
// summing; about twice the time and 4 GB at 10M lines.  Kept to connect
// the earlier figures in docs/performance.md to the new ones.
import { DuckDBInstance } from '@duckdb/node-api';

import { readFileSync } from 'node:fs';

const [file, rates, threads, variant = 'lean', out] = process.argv.slice(2);
const inst = await DuckDBInstance.create(':memory:', { threads: String(threads || 2) });
const con = await inst.connect();
const t0 = performance.now();
const types = `types = {'date': 'DATE', 'paid': 'DECIMAL(12,2)', 'pos': 'VARCHAR', 'minutes': 'INTEGER'}`;
const setting = `CASE WHEN a.pos IN ('02','19','21','22','23','24','26','31','34','41','42','51','52','53','56','61')
  THEN 'facility' ELSE 'office' END`;
const rateJoin = `LEFT JOIN r ON r.payer_id = a.payer_id AND r.code = '90853'
   AND (r.setting IS NULL OR r.setting = ${setting})
   AND a.date BETWEEN r."from" AND coalesce(r."to", DATE '2199-12-31')`;
await con.run(`CREATE TABLE r AS SELECT * FROM read_csv('${rates}/rates.csv', header = true,
  types = {'from': 'DATE', 'to': 'DATE', 'low': 'DECIMAL(12,2)', 'expected': 'DECIMAL(12,2)', 'high': 'DECIMAL(12,2)'})`);

let summaryRows, sizeRows, rows;
if (variant === 'lean') {
	// The seven columns once into a table (reading the file twice costs
	// more: 12.9 s against 12.3 s at 10M), session sizes by a GROUP BY
	// joined back (a window over the session took 15.4 s).
	await con.run(`CREATE TABLE a AS SELECT session_id, date, payer_id, attended, pos, status, paid
  FROM read_csv('${file}', header = true, ${types})`);
	const all = await con.runAndReadAll(`
  WITH s AS (SELECT session_id, count(*) AS size FROM a WHERE attended GROUP BY session_id),
  p AS (SELECT a.date, a.payer_id, a.status, a.paid, r.expected, r.low, r.high, s.size
        FROM a JOIN s USING (session_id) ${rateJoin}
        WHERE a.attended)
  SELECT year(date) || 'Q' || quarter(date) AS q, payer_id, size,
    count(*), sum(expected), sum(low), sum(high), sum(paid),
    count(*) FILTER (WHERE status IN ('paid', 'denied')), count(*) FILTER (WHERE status = 'denied')
  FROM p GROUP BY GROUPING SETS ((q, payer_id), (size)) ORDER BY ALL`);
	rows = all.getRows();
	summaryRows = rows.filter((x) => x[2] === null).length;
	sizeRows = rows.length - summaryRows;
} else {
	await con.run(`CREATE TABLE a AS SELECT * FROM read_csv('${file}', header = true, ${types})`);
	await con.run(`CREATE TABLE p AS
  WITH s AS (SELECT session_id, count(*) FILTER (WHERE attended) AS size FROM a GROUP BY session_id)
  SELECT a.*, s.size, r.expected, r.low, r.high
  FROM a JOIN s USING (session_id) ${rateJoin}
  WHERE a.attended`);
	const summary = await con.runAndReadAll(`SELECT year(date) || 'Q' || quarter(date) AS q, payer_id,
  count(*), sum(expected), sum(low), sum(high), sum(paid),
  count(*) FILTER (WHERE status IN ('paid', 'denied')), count(*) FILTER (WHERE status = 'denied')
  FROM p GROUP BY ALL ORDER BY ALL`);
	const sizes = await con.runAndReadAll(`SELECT size, count(*) FILTER (WHERE status IN ('paid','denied')),
  count(*) FILTER (WHERE status = 'denied') FROM p GROUP BY size ORDER BY size`);
	summaryRows = summary.getRows().length;
	sizeRows = sizes.getRows().length;
}
const t1 = performance.now();
console.log(`${variant}: ${summaryRows} summary rows, ${sizeRows} sizes, ${((t1 - t0) / 1000).toFixed(3)} s inside DuckDB`);

if (out && rows) {
	// The first nine columns of summary.csv, and size, adjudicated and
	// denied of sizes.csv, as DuckDB has them (decimals print as 12.30).
	const csv = (name) => readFileSync(`${out}/${name}`, 'utf8').trim().split('\n').slice(1)
		.map((l) => l.split(','));
	const want = csv('summary.csv').map((c) => c.slice(0, 9).join(','))
		.concat(csv('sizes.csv').map((c) => [c[0], c[2], c[3]].join(',')));
	const got = rows.filter((x) => x[2] === null).map((x) => [x[0], x[1], ...x.slice(3)].map(String).join(','))
		.concat(rows.filter((x) => x[2] !== null).map((x) => [x[2], x[8], x[9]].map(String).join(',')));
	let differ = 0;
	for (let i = 0; i < Math.max(want.length, got.length); i++)
		if (want[i] !== got[i]) {
			differ++;
			console.log(`differs: DuckDB ${got[i]} | grouprev ${want[i]}`);
		}
	console.log(`compared with ${out}: ${got.length} rows, ${differ} differ`);
}
