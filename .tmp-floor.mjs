import { DuckDBInstance } from '@duckdb/node-api';
import { rmSync } from 'node:fs';
const path = '/tmp/floor/f.duckdb';
rmSync(path, { force: true }); rmSync(path + '.wal', { force: true });
const inst = await DuckDBInstance.create(path, { storage_compatibility_version: 'latest', threads: '1' });
const c = await inst.connect();
const N = Number(process.env.N ?? 1_000_000);
const raw = process.argv[2] ?? 'uncompressed'; const cc = process.argv[3] ? ' USING COMPRESSION ' + process.argv[3] : '';
await c.run(`CREATE TABLE events (id UUID NOT NULL${cc}, ts TIMESTAMP NOT NULL${cc}, eventid VARCHAR NOT NULL${cc}, session VARCHAR${cc}, sensor VARCHAR${cc},
  src_ip VARCHAR${cc}, src_port INTEGER${cc}, dst_ip VARCHAR${cc}, dst_port INTEGER${cc}, orig_ip VARCHAR${cc}, orig_port INTEGER${cc},
  username VARCHAR${cc}, password VARCHAR${cc}, input VARCHAR${cc}, url VARCHAR${cc}, shasum VARCHAR${cc}, duration_ms DOUBLE${cc},
  payload_kind VARCHAR${cc}, http_method VARCHAR${cc}, http_host VARCHAR${cc}, http_path VARCHAR${cc}, http_headers VARCHAR${cc},
  smtp_ehlo VARCHAR${cc}, tls_sni VARCHAR${cc}, raw ${raw === 'none' ? 'VARCHAR' : 'VARCHAR NOT NULL USING COMPRESSION ' + raw})`);
await c.run(`CREATE TEMP TABLE t AS SELECT gen_random_uuid() AS id, TIMESTAMP '2018-01-01' + INTERVAL (i) SECOND AS ts,
  'cowrie.direct-tcpip.request' AS eventid, md5((i//20)::VARCHAR)[1:12] AS session, 'sensor1' AS sensor,
  '10.0.' || (i % 250) || '.' || (i % 7) AS src_ip, (i % 60000)::INTEGER AS src_port, '93.184.216.' || (i%50) AS dst_ip, 80 AS dst_port,
  NULL::VARCHAR AS orig_ip, NULL::INTEGER AS orig_port, NULL::VARCHAR AS username, NULL::VARCHAR AS password, NULL::VARCHAR AS input,
  NULL::VARCHAR AS url, NULL::VARCHAR AS shasum, NULL::DOUBLE AS duration_ms, NULL::VARCHAR AS payload_kind, NULL::VARCHAR AS http_method,
  NULL::VARCHAR AS http_host, NULL::VARCHAR AS http_path, NULL::VARCHAR AS http_headers, NULL::VARCHAR AS smtp_ehlo, NULL::VARCHAR AS tls_sni,
  ${raw === 'none' ? 'NULL::VARCHAR' : `'{"eventid": "cowrie.direct-tcpip.request", "timestamp": "2018-01-01T00:00:00.' || i || 'Z", "session": "' || md5(i::VARCHAR) || '", "src_ip": "10.0.0.1", "dst_ip": "93.184.216.34", "dst_port": 80, "message": "direct-tcp connection request to 93.184.216.34:80 from 10.0.0.1:' || i || '", "data": "GET / HTTP/1.1\\r\\nHost: example.com\\r\\n\\r\\n", "sensor": "s1", "src_port": 4}'`} AS raw
  FROM range(${N}) r(i)`);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
let t0 = cpu();
await c.run('BEGIN');
await c.run('INSERT INTO events SELECT * FROM t');
let t1 = cpu();
await c.run('COMMIT');
let t2 = cpu();
await c.run('CHECKPOINT');
let t3 = cpu();
console.log(raw, 'insert µs/row', ((t1 - t0) / N * 1e6).toFixed(2), 'commit', ((t2 - t1) / N * 1e6).toFixed(2), 'checkpoint', ((t3 - t2) / N * 1e6).toFixed(2));
