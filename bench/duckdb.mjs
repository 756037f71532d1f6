// duckdb.mjs — the same aggregation as `grouprev report` in DuckDB, for
// the benchmark: quarter x payer sums with the dated rate join, and the
// group-size denial counts.
//
//   node duckdb.mjs ATTENDANCE.csv RATES_DIR THREADS [SHAPE [OUT]]
//
// SHAPE: lean (default), twice, window, window-table, wide, or scan and
// sums (parts of the work, for scale).
//
// With OUT (a folder grouprev report wrote from the same files), the
// sums of a one-query shape (lean, twice, window) are compared with
// OUT/summary.csv and OUT/sizes.csv after the timing and each differing
// row is printed.  Medicare rows differ by the credential share (75% for
// LCSW, LMFT, LPC and LMHC, 85% for NP, PA and CNS;
// rate-tables/payers.csv), which only grouprev applies.
//
// lean (the default, and the benchmark's reference): the fastest of the
// shapes tried on 2026-11-26 — only the seven columns the sums need, the
// group size from a GROUP BY joined back, both tables in one pass with
// GROUPING SETS (docs/performance.md times each shape).
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

// The attended lines with their rate and group size, from A (a table or
// a read_csv call): sizes by a GROUP BY joined back, or as a window.
const SEVEN = 'session_id, date, payer_id, attended, pos, status, paid';
const csv = (cols) => `(SELECT ${cols} FROM read_csv('${file}', header = true, ${types}))`;
const priced = (a, window) => window
	? `SELECT a.date, a.payer_id, a.status, a.paid, r.expected, r.low, r.high,
       count(*) FILTER (WHERE attended) OVER (PARTITION BY session_id) AS size
     FROM ${a} a ${rateJoin} QUALIFY attended`
	: `WITH s AS (SELECT session_id, count(*) AS size FROM ${a} WHERE attended GROUP BY session_id)
     SELECT a.date, a.payer_id, a.status, a.paid, r.expected, r.low, r.high, s.size
     FROM ${a} a JOIN s USING (session_id) ${rateJoin} WHERE a.attended`;
const SUMS = `count(*), sum(expected), sum(low), sum(high), sum(paid),
  count(*) FILTER (WHERE status IN ('paid', 'denied')), count(*) FILTER (WHERE status = 'denied')`;
const QUARTER = `year(date) || 'Q' || quarter(date)`;

// Both tables in one pass: rows with size NULL are the quarter x payer
// sums, the others the size counts.
async function oneQuery(p) {
	const all = (await con.runAndReadAll(`WITH p AS (${p})
  SELECT ${QUARTER} AS q, payer_id, size, ${SUMS}
  FROM p GROUP BY GROUPING SETS ((q, payer_id), (size)) ORDER BY ALL`)).getRows();
	const n = all.filter((x) => x[2] === null).length;
	return [all, n, all.length - n];
}

// The priced lines into a table, then a query for each table.
async function twoQueries(p) {
	await con.run(`CREATE TABLE p AS ${p}`);
	const summary = await con.runAndReadAll(`SELECT ${QUARTER} AS q, payer_id, ${SUMS}
  FROM p GROUP BY ALL ORDER BY ALL`);
	const sizes = await con.runAndReadAll(`SELECT size, count(*) FILTER (WHERE status IN ('paid','denied')),
  count(*) FILTER (WHERE status = 'denied') FROM p GROUP BY size ORDER BY size`);
	return [null, summary.getRows().length, sizes.getRows().length];
}

// The shapes of docs/performance.md's third run; lean is the fastest.
let rows, summaryRows, sizeRows;
switch (variant) {
case 'lean': // the seven columns into a table once, sizes joined back
	await con.run(`CREATE TABLE a AS SELECT * FROM ${csv(SEVEN)}`);
	[rows, summaryRows, sizeRows] = await oneQuery(priced('a', false));
	break;
case 'twice': // the file read for the sizes and again for the lines
	[rows, summaryRows, sizeRows] = await oneQuery(priced(csv(SEVEN), false));
	break;
case 'window': // read once, sizes as a window over the session
	[rows, summaryRows, sizeRows] = await oneQuery(priced(csv(SEVEN), true));
	break;
case 'window-table': // seven columns into a table, window, a second table
	await con.run(`CREATE TABLE a AS SELECT * FROM ${csv(SEVEN)}`);
	[rows, summaryRows, sizeRows] = await twoQueries(priced('a', true));
	break;
case 'wide': // every column into a table, joined into a second table
	await con.run(`CREATE TABLE a AS SELECT * FROM ${csv('*')}`);
	[rows, summaryRows, sizeRows] = await twoQueries(`SELECT a.*, s.size, r.expected, r.low, r.high
  FROM a JOIN (SELECT session_id, count(*) FILTER (WHERE attended) AS size FROM a GROUP BY session_id) s
  USING (session_id) ${rateJoin} WHERE a.attended`);
	break;
case 'scan': // for scale: reading the file
	await con.runAndReadAll(`SELECT count(*), sum(paid) FROM ${csv('paid')}`);
	summaryRows = sizeRows = 0;
	break;
case 'sums': // for scale: quarter x payer sums without rates or sizes
	summaryRows = (await con.runAndReadAll(`SELECT ${QUARTER} AS q, payer_id, count(*), sum(paid),
  count(*) FILTER (WHERE status = 'denied') FROM ${csv(SEVEN)} WHERE attended GROUP BY ALL`)).getRows().length;
	sizeRows = 0;
	break;
default:
	console.error(`duckdb.mjs: unknown query shape '${variant}'`);
	process.exit(2);
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
