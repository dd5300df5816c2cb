// Decodes captured ExportTraceServiceRequest bodies (protobuf or OTLP JSON) into one plain shape:
// { resourceSpans: [{ resource: {k: v}, scopes: [{ name, version, spans: [span] }] }] }
// span: { traceId, spanId, parentSpanId (hex), name, kind (int), startTimeUnixNano (string), attributes, events, status }
// attribute values keep their OTLP type: { type: 'string'|'int'|'double'|'bool'|'array'|'kvlist'|'bytes', value }
import fs from 'node:fs';
import protobuf from 'protobufjs';

// Subset of opentelemetry-proto v1 (common, resource, trace, collector/trace) with the real field numbers.
const PROTO = `
syntax = "proto3";
package otlp;
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
  ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7; } }
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; fixed32 flags = 16; string name = 5;
  int32 kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8; repeated KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10; repeated Event events = 11; uint32 dropped_events_count = 12; repeated Link links = 13;
  uint32 dropped_links_count = 14; Status status = 15;
  message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
  message Link { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4; uint32 dropped_attributes_count = 5; fixed32 flags = 6; }
}
message Status { string message = 2; int32 code = 3; }
`;
const Request = protobuf.parse(PROTO, { keepCase: false }).root.lookupType('otlp.ExportTraceServiceRequest');

const hex = (b) => (b && b.length ? Buffer.from(b).toString('hex') : '');

function anyValue(v) {
  if (v == null) return { type: 'empty', value: null };
  const has = (k) => v[k] !== undefined && v[k] !== null;
  if (has('stringValue')) return { type: 'string', value: v.stringValue };
  if (has('boolValue')) return { type: 'bool', value: v.boolValue };
  if (has('intValue')) return { type: 'int', value: Number(v.intValue) };
  if (has('doubleValue')) return { type: 'double', value: Number(v.doubleValue) };
  if (has('arrayValue')) return { type: 'array', value: (v.arrayValue.values ?? []).map(anyValue) };
  if (has('kvlistValue')) return { type: 'kvlist', value: attrs(v.kvlistValue.values) };
  if (has('bytesValue')) return { type: 'bytes', value: Buffer.from(v.bytesValue, typeof v.bytesValue === 'string' ? 'base64' : undefined).toString('base64') };
  return { type: 'empty', value: null };
}

function attrs(list) {
  const out = {};
  for (const kv of list ?? []) out[kv.key] = anyValue(kv.value);
  return out;
}

/** Plain JS value of a typed attribute (arrays/kvlists unwrapped). */
export function plain(a) {
  if (!a) return undefined;
  if (a.type === 'array') return a.value.map(plain);
  if (a.type === 'kvlist') return Object.fromEntries(Object.entries(a.value).map(([k, v]) => [k, plain(v)]));
  return a.value;
}

function normalize(req, idToHex) {
  return {
    resourceSpans: (req.resourceSpans ?? []).map((rs) => ({
      resource: attrs(rs.resource?.attributes),
      scopes: (rs.scopeSpans ?? []).map((ss) => ({
        name: ss.scope?.name ?? '',
        version: ss.scope?.version ?? '',
        spans: (ss.spans ?? []).map((s) => ({
          traceId: idToHex(s.traceId), spanId: idToHex(s.spanId), parentSpanId: idToHex(s.parentSpanId),
          name: s.name, kind: typeof s.kind === 'number' ? s.kind : Number(s.kind ?? 0),
          startTimeUnixNano: String(s.startTimeUnixNano ?? '0'), endTimeUnixNano: String(s.endTimeUnixNano ?? '0'),
          attributes: attrs(s.attributes),
          events: (s.events ?? []).map((e) => ({ name: e.name, timeUnixNano: String(e.timeUnixNano), attributes: attrs(e.attributes) })),
          links: (s.links ?? []).length,
          status: { code: Number(s.status?.code ?? 0), message: s.status?.message ?? '' },
        })),
      })),
    })),
  };
}

export function decodeBuffer(buf, fileName) {
  if (fileName.endsWith('.json')) {
    // OTLP JSON: ids are hex strings, int64 are decimal strings.
    return normalize(JSON.parse(buf.toString('utf8')), (id) => (id ?? '').toLowerCase());
  }
  const msg = Request.decode(buf);
  const obj = Request.toObject(msg, { longs: String, bytes: Array, defaults: false });
  return normalize(obj, (b) => hex(b));
}

export function decodeFile(file) {
  return decodeBuffer(fs.readFileSync(file), file);
}

/** All spans flattened, each with its resource and scope, in payload order. */
export function flatSpans(decoded) {
  const out = [];
  for (const rs of decoded.resourceSpans) {
    for (const sc of rs.scopes) for (const s of sc.spans) out.push({ ...s, scope: sc.name, scopeVersion: sc.version, resource: rs.resource });
  }
  return out;
}
