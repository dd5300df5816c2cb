// OTLP/HTTP capture server: accepts POST on any path, gunzips, answers 200 with an empty body of the
// request's content type, and saves trace bodies as fixtures (with `signals`, logs and metrics too:
// NN-<scenario>.<signal>.<ext>).
//
// Routing: exporters are pointed at http://127.0.0.1:<port>/capture/<convention>/<scenario>; whatever the
// SDK appends (/v1/traces, /api/public/otel/v1/traces, ...) is kept as the "path" in the capture log.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const ROUTE = /^\/capture\/([A-Za-z0-9._-]+)\/([A-Za-z0-9._-]+)(\/.*)?$/;

// `signals`: the signals saved, as a list or as a function of the convention.
export function startCaptureServer({ outDir, log = () => {}, signals = ['traces'] }) {
  const saved = typeof signals === 'function' ? signals : () => signals;
  const captures = [];
  const counters = new Map(); // convention -> last sequence number
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url, 'http://x');
      const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      const encoding = (req.headers['content-encoding'] ?? '').toLowerCase();
      let body = Buffer.concat(chunks);
      if (encoding.includes('gzip')) body = zlib.gunzipSync(body);
      else if (encoding === 'deflate') body = zlib.inflateSync(body);

      const match = ROUTE.exec(url.pathname);
      const convention = match?.[1] ?? 'unrouted';
      const scenario = match?.[2] ?? 'unrouted';
      const signalPath = match?.[3] ?? url.pathname;
      const signal = /\/(traces|logs|metrics)$/.exec(signalPath)?.[1];
      const isTraces = signal === 'traces';

      res.writeHead(200, { 'content-type': contentType || 'application/x-protobuf' });
      // ExportTraceServiceResponse with partial_success unset: zero bytes in protobuf, "{}" in JSON.
      res.end(contentType === 'application/json' ? '{}' : '');

      if (req.method !== 'POST' || !saved(convention).includes(signal)) {
        log(`capture: ignored ${req.method} ${url.pathname} (${contentType}, ${body.length} bytes)`);
        captures.push({ convention, scenario, path: signalPath, contentType, ignored: true, bytes: body.length });
        return;
      }
      const ext = contentType === 'application/json' ? 'json' : 'binpb';
      const seq = (counters.get(convention) ?? 0) + 1;
      counters.set(convention, seq);
      const file = `${String(seq).padStart(2, '0')}-${scenario}${isTraces ? '' : '.' + signal}.${ext}`;
      const dir = path.join(outDir, convention);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, file), body);
      const headerNames = Object.keys(req.headers).filter((h) => !/^(host|content-length|connection)$/.test(h)).sort();
      captures.push({ convention, scenario, signal, file: `${convention}/${file}`, path: signalPath, contentType,
        contentEncoding: encoding || null, userAgent: req.headers['user-agent'] ?? null, headerNames, bytes: body.length });
      log(`capture: ${convention}/${file} <- POST ${signalPath} (${contentType}${encoding ? ', ' + encoding : ''}, ${body.length} bytes)`);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    resolve({
      port, captures,
      baseFor: (convention, scenario) => `http://127.0.0.1:${port}/capture/${convention}/${scenario}`,
      close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
    });
  }));
}
