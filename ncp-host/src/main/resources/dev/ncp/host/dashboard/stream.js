// ncp dashboard: the visualization bus over a websocket, usage and sessions asked over the same socket, drawn
// with plain DOM calls.
// Every value from the bus is set as textContent, never as HTML: tool names and errors come from models and clients.
'use strict';

const MAX_TIMELINE = 400;
const MAX_FINISHED = 25;
const MAX_ERRORS = 12;

const requests = new Map();   // request id -> what we know of it
const totals = { requests: 0, errors: 0, input: 0, output: 0, ttftSum: 0, ttftCount: 0, tps: null };
const $ = (id) => document.getElementById(id);

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

const shortId = (id) => (id && id.length > 12 ? '…' + id.slice(-8) : id || '-');
const clock = (ms) => new Date(ms).toLocaleTimeString([], { hour12: false }) + '.' + String(ms % 1000).padStart(3, '0');
const num = (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'));
const ms = (n) => (n === null || n === undefined ? '–' : n + ' ms');

function describe(e) {
  switch (e.type) {
    case 'received': return `${e.principal} asks for ${e.model}${e.stream ? ' (stream)' : ''}`;
    case 'routed': return `${e.requested} → ${e.model} (${e.route})`;
    case 'upstream_first_byte': return `upstream first byte after ${e.after_ms} ms`;
    case 'first_token': return `first token after ${e.ttft_ms} ms`;
    case 'block_start': return `${e.kind} block #${e.index}`;
    case 'tool_call': return `${e.name}  ${e.id}`;
    case 'block_stop': return `${e.kind} #${e.index} done · ${num(e.chars)} chars`;
    case 'usage': return `in ${num(e.input_tokens)} · out ${num(e.output_tokens)} tokens`;
    case 'retry': return `${e.model}: attempt ${e.attempt} in ${e.delay_ms} ms, after ${e.reason}`;
    case 'fallback': return `${e.from} → ${e.to}: ${e.reason}`;
    case 'breaker': return `${e.breaker}: ${e.from} → ${e.to}`;
    case 'guard': return `${e.kind.replaceAll('_', ' ')}${e.tool ? ' · ' + e.tool : ''}${e.detail ? ': ' + e.detail : ''}`;
    case 'error': return `${e.status} ${e.error_type}${e.message ? ': ' + e.message : ''}`;
    case 'finish': return `${e.outcome} ${e.status} · ${e.model} · ${e.stop_reason || '-'} · in ${num(e.input_tokens)} · `
        + `out ${num(e.output_tokens)} tokens · TTFT ${ms(e.ttft_ms)} · `
        + `${e.tokens_per_second == null ? '–' : e.tokens_per_second} tok/s · ${e.duration_ms} ms`;
    default: return JSON.stringify(e);
  }
}

const LANES = ['lifecycle', 'content', 'tools', 'diagnostics'];
const LABELS = { upstream_first_byte: 'first byte', first_token: 'first token', tool_call: 'tool call',
  block_start: 'block start', block_stop: 'block stop' };

// One row per event: time, request, the four lanes (the event's type marked in its own), then what happened.
function addToTimeline(e) {
  const bad = e.type === 'error' || (e.type === 'finish' && e.outcome !== 'ok');
  const row = el('li', `ev ${e.lane}${bad ? ' error' : ''}`);
  row.dataset.type = e.type;
  row.dataset.request = e.request_id;
  row.append(el('span', 'ev-time', clock(e.at)), el('span', 'ev-req', shortId(e.request_id)));
  for (const lane of LANES) {
    row.append(lane === e.lane ? el('span', `ev-type ${lane}`, LABELS[e.type] || e.type.replaceAll('_', ' '))
        : el('span', 'ev-gap'));
  }
  const text = describe(e);
  row.append(el('span', 'ev-text', text));
  row.title = text;
  if (filter && e.request_id !== filter) row.classList.add('filtered');
  const list = $('timeline');
  list.prepend(row);
  while (list.childElementCount > MAX_TIMELINE) list.lastElementChild.remove();
}

function track(e) {
  if (!e.request_id || e.request_id === '-') return;
  let r = requests.get(e.request_id);
  if (!r) {
    r = { id: e.request_id, state: 'streaming', requested: '-', model: '-', route: '-', started: e.at,
      ttft: null, tps: null, input: 0, output: 0, duration: null };
    requests.set(e.request_id, r);
  }
  switch (e.type) {
    case 'received': r.requested = e.model; r.started = e.at; break;
    case 'routed': r.requested = e.requested; r.model = e.model; r.route = e.route; break;
    case 'first_token': r.ttft = e.ttft_ms; break;
    case 'usage': r.input = e.input_tokens; r.output = e.output_tokens; break;
    case 'fallback': r.model = e.to; r.route = 'fallback'; break;
    case 'error': addError(e); break;
    case 'finish': finish(r, e); break;
  }
}

function finish(r, e) {
  Object.assign(r, { state: e.outcome, input: e.input_tokens, output: e.output_tokens, ttft: e.ttft_ms,
    tps: e.tokens_per_second, duration: e.duration_ms, finished: e.at });
  if (e.model && e.model !== '-') r.model = e.model;
  if (e.route && e.route !== '-') r.route = e.route;
  totals.requests++;
  totals.input += e.input_tokens;
  totals.output += e.output_tokens;
  if (e.outcome !== 'ok') totals.errors++;
  if (e.ttft_ms != null) { totals.ttftSum += e.ttft_ms; totals.ttftCount++; }
  if (e.tokens_per_second != null) totals.tps = e.tokens_per_second;
  const finished = [...requests.values()].filter((x) => x.finished).sort((a, b) => b.finished - a.finished);
  finished.slice(MAX_FINISHED).forEach((x) => requests.delete(x.id));
}

function addError(e) {
  const li = el('li', 'err');
  li.append(el('span', 'when', clock(e.at) + ' ' + shortId(e.request_id)),
      el('span', '', `${e.status} ${e.error_type}${e.message ? ' — ' + e.message : ''}`));
  const list = $('errors');
  list.prepend(li);
  while (list.childElementCount > MAX_ERRORS) list.lastElementChild.remove();
  $('errors-empty').hidden = true;
}

// A request whose finish never arrived (dropped, or the page opened mid-way) is not shown as active forever.
const STALE_MS = 15 * 60 * 1000;

function renderRequests() {
  for (const r of requests.values()) {
    if (!r.finished && Date.now() - r.started > STALE_MS) requests.delete(r.id);
  }
  const rows = [...requests.values()].sort((a, b) => (a.finished ? 1 : 0) - (b.finished ? 1 : 0)
      || (b.finished || b.started) - (a.finished || a.started));
  const body = $('requests').tBodies[0];
  body.replaceChildren(...rows.map((r) => {
    const tr = el('tr', r.id === filter ? 'selected' : '');
    tr.dataset.request = r.id;
    tr.addEventListener('click', () => setFilter(r.id === filter ? null : r.id));
    const time = r.duration != null ? r.duration + ' ms' : ((Date.now() - r.started) / 1000).toFixed(1) + ' s';
    tr.append(el('td', 'mono', shortId(r.id)), el('td', `state ${r.state}`, r.state.replace('_', ' ')),
        el('td', '', `${r.requested} → ${r.model}`), el('td', '', r.route), el('td', '', ms(r.ttft)),
        el('td', '', r.tps == null ? '–' : r.tps), el('td', '', num(r.input)), el('td', '', num(r.output)),
        el('td', '', time));
    return tr;
  }));
  $('requests-empty').hidden = rows.length > 0;
  const active = rows.filter((r) => !r.finished).length;
  $('c-active').textContent = active;
  $('c-requests').textContent = num(totals.requests);
  $('c-errors').textContent = num(totals.errors);
  $('c-in').textContent = num(totals.input);
  $('c-out').textContent = num(totals.output);
  $('c-ttft').textContent = totals.ttftCount ? Math.round(totals.ttftSum / totals.ttftCount) + ' ms' : '–';
  $('c-tps').textContent = totals.tps == null ? '–' : totals.tps;
}

// Circuit breakers by model: from each status message, updated at once by breaker events in between.
const breakers = new Map();

function handle(e) {
  if (e.type === 'status') {
    showStatus(e);
    return;
  }
  addToTimeline(e);
  track(e);
  if (e.type === 'breaker') {
    breakers.set(e.breaker, e.to);
    renderBreakers();
  }
  renderRequests();
}

function connect() {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  // A proxy that requires a key admits the page and its socket with a short-lived ?token= (POST /v1/ncp/dashboard-token).
  const token = new URLSearchParams(location.search).get('token');
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  const ws = new WebSocket(`${proto}//${location.host}/ws/stream-visualization${query}`);
  const status = $('connection');
  ws.onopen = () => {
    status.textContent = 'live';
    status.className = 'pill on';
    socket = ws;
    refreshView();
  };
  ws.onmessage = (m) => {
    const message = JSON.parse(m.data);
    if (message.type === 'usage_report') showUsage(message);
    else if (message.type === 'session_list') showSessions(message);
    else handle(message);
  };
  ws.onclose = () => {
    socket = null;
    status.textContent = 'reconnecting…';
    status.className = 'pill off';
    setTimeout(connect, 2000);
  };
}

// The bus counters and breaker states come over the socket (a 'status' message on connect and every few seconds):
// the socket was let in once, while the page has no credential for GET /health when the proxy needs a key.
// A key that is not an operator's sees only its own requests, and no counters or breakers (they sum up everyone's).
function showStatus(st) {
  if (st.scope === 'own') {
    $('bus').textContent = 'your own requests only · bus counters and breakers are shown to operators';
    return;
  }
  renderUpstreams(st.upstreams || {});
  const s = st.visualization;
  $('c-dropped').textContent = num(s.dropped);
  $('bus').textContent = `${s.subscribers} subscriber(s) · ${num(s.published)} published · `
      + `${num(s.dropped)} dropped · buffer ${num(s.buffer_per_subscriber)} · side channel `
      + (s.side_channel.enabled ? 'on' : 'off');
  breakers.clear();
  for (const [name, b] of Object.entries(st.breakers || {})) breakers.set(name, b.state);
  renderBreakers();
}

function renderBreakers() {
  const list = $('breakers');
  if (breakers.size === 0) {
    list.replaceChildren(el('li', 'muted', 'none yet (one per upstream model, once called)'));
    return;
  }
  list.replaceChildren(...[...breakers.entries()].sort().map(([name, state]) => {
    const li = el('li', state === 'closed' ? '' : 'err');
    li.dataset.breaker = name;
    li.append(el('span', 'when', name), el('span', 'state', state.replace('_', ' ')));
    return li;
  }));
}

// --- click-to-filter: one request's events only ---

let filter = null;

function setFilter(id) {
  filter = id;
  $('filter').hidden = !id;
  $('filter-id').textContent = id ? shortId(id) : '';
  for (const row of $('timeline').children) {
    row.classList.toggle('filtered', Boolean(id) && row.dataset.request !== id);
  }
  renderRequests();
}

// --- the upstream limits' gauge (from each status message) ---

function renderUpstreams(upstreams) {
  const names = Object.keys(upstreams).sort();
  $('upstreams').replaceChildren(...names.map((name) => {
    const u = upstreams[name];
    const li = el('li');
    li.dataset.upstream = name;
    const rpm = u.rpm_limit > 0 ? `${u.rpm_used}/${u.rpm_limit} RPM` : 'no RPM limit';
    const streams = u.max_streams > 0 ? `${u.in_flight}/${u.max_streams} streams` : `${u.in_flight} in flight`;
    li.append(el('span', 'when', name), el('span', 'gauge-text', `${rpm} · ${u.queued} queued · ${streams}`));
    if (u.rpm_limit > 0) {
      const gauge = el('span', 'gauge');
      const fill = el('span', u.rpm_used >= u.rpm_limit ? 'fill full' : 'fill');
      fill.style.width = Math.min(100, (100 * u.rpm_used) / u.rpm_limit) + '%';
      gauge.append(fill);
      li.append(gauge);
    }
    return li;
  }));
  if (names.length === 0) $('upstreams').replaceChildren(el('li', 'muted', 'shown to operators'));
}

// --- views: live, usage, sessions (the view is in the URL's #, so a reload keeps it) ---

let socket = null;
let usageRange = 'day';
const RANGE_TEXT = { hour: 'the last hour', day: 'the last day', week: 'the last week' };

function currentView() {
  const v = location.hash.replace('#', '');
  return ['usage', 'sessions'].includes(v) ? v : 'live';
}

function refreshView() {
  const view = currentView();
  for (const name of ['live', 'usage', 'sessions']) $('view-' + name).hidden = name !== view;
  for (const tab of document.querySelectorAll('.tab')) tab.classList.toggle('active', tab.dataset.view === view);
  for (const b of document.querySelectorAll('.ranges button')) b.classList.toggle('active', b.dataset.range === usageRange);
  $('usage-range-text').textContent = RANGE_TEXT[usageRange];
  if (!socket || socket.readyState !== WebSocket.OPEN) return;
  if (view === 'usage') {
    socket.send(JSON.stringify({ type: 'usage_report', range: usageRange, group_by: 'model' }));
    socket.send(JSON.stringify({ type: 'usage_report', range: usageRange, group_by: 'principal' }));
  } else if (view === 'sessions') {
    socket.send(JSON.stringify({ type: 'session_list' }));
  }
}

function showUsage(m) {
  if (m.error) {
    $('usage-note').textContent = m.error;
    return;
  }
  if (m.range !== usageRange) return;
  const byModel = m.report.group_by.includes('model');
  const table = $(byModel ? 'usage-models' : 'usage-keys');
  const rows = m.report.data;
  const most = Math.max(1, ...rows.map((r) => r.requests));
  table.tBodies[0].replaceChildren(...rows.map((r) => {
    const tr = el('tr');
    tr.dataset.key = byModel ? r.model : r.principal;
    const bar = el('div', 'bar');
    bar.style.width = (100 * r.requests) / most + '%';
    const share = el('td');
    share.append(bar);
    tr.append(el('td', '', byModel ? r.model : r.principal), el('td', '', num(r.requests)),
        el('td', '', num(r.input_tokens)), el('td', '', num(r.output_tokens)),
        el('td', '', num(r.cache_read_input_tokens)), el('td', r.errors ? 'state error' : '', num(r.errors)),
        el('td', '', ms(r.avg_first_token_ms)), el('td', '', ms(r.avg_latency_ms)), share);
    return tr;
  }));
  $('usage-empty').hidden = $('usage-models').tBodies[0].childElementCount > 0
      || $('usage-keys').tBodies[0].childElementCount > 0;
}

function showSessions(m) {
  const sessions = m.data || [];
  const times = sessions.flatMap((x) => [Date.parse(x.first_activity), Date.parse(x.last_activity)]);
  const start = Math.min(...times);
  const span = Math.max(1, Math.max(...times) - start);
  $('sessions').tBodies[0].replaceChildren(...sessions.map((x) => {
    const tr = el('tr');
    tr.dataset.session = x.id;
    const first = Date.parse(x.first_activity);
    const last = Date.parse(x.last_activity);
    const track = el('div', 'track');
    const bar = el('div', 'bar span');
    bar.style.left = (100 * (first - start)) / span + '%';
    bar.style.width = Math.max(0.5, (100 * (last - first)) / span) + '%';
    track.append(bar);
    const cell = el('td');
    cell.append(track);
    const models = Object.entries(x.models).map(([model, n]) => `${model} ×${n}`).join(', ');
    tr.append(el('td', 'mono', x.id), el('td', '', num(x.requests)), el('td', x.errors ? 'state error' : '', num(x.errors)),
        el('td', '', num(x.input_tokens)), el('td', '', num(x.output_tokens)), el('td', '', models),
        el('td', '', `${clock(first)} → ${clock(last)}`), cell);
    tr.title = models;
    return tr;
  }));
  $('sessions-empty').hidden = sessions.length > 0;
}

for (const tab of document.querySelectorAll('.tab')) {
  tab.addEventListener('click', () => { location.hash = tab.dataset.view; });
}
for (const b of document.querySelectorAll('.ranges button')) {
  b.addEventListener('click', () => { usageRange = b.dataset.range; refreshView(); });
}
$('filter-clear').addEventListener('click', () => setFilter(null));
window.addEventListener('hashchange', refreshView);
// A report is read again every 30 s while its view is open (usage changes as requests end).
setInterval(() => { if (currentView() !== 'live') refreshView(); }, 30000);

refreshView();
connect();
setInterval(renderRequests, 1000);
