// ActorHost dashboard. Plain JavaScript, no build step, no external resources.
// Data flow: one GET /workers (+ /stats) for the starting picture, then everything from GET /events (SSE).
// Events change a small model; a requestAnimationFrame pass writes the DOM at most once per frame, so a burst
// of thousands of events costs one render.
// The cluster panel reads /cluster/members and /cluster/shards once, then again (at most twice a second) when a
// `cluster` event arrives: hand-offs, fencing and member changes are events, so no polling is needed. The worker lists show at most ROW_LIMIT rows per route (routes of
// 10,000 entities are shown as totals plus a filterable page), and the visible page is re-read from
// /workers only every RECONCILE_MS while the tab is visible (processed counts and mailbox depth are not events).
'use strict';

(() => {
  const ROW_LIMIT = 200;
  const TIMELINE_LIMIT = 300;
  const BACKFILL = 200;           // earlier events shown in the timeline on first load
  const CHART_SECONDS = 60;
  const RECONCILE_MS = 10000;
  const OUTCOMES = ['ok', 'client_error', 'handler_failed', 'failed_after_start', 'client_aborted', 'peer_closed',
    'timeout', 'worker_stopped', 'rejected', 'shutdown_aborted', 'gateway_fault', 'shard_unavailable',
    'overloaded'];
  const COLORS = {
    ok: '#3fb950', client_error: '#d29922', handler_failed: '#f85149', failed_after_start: '#ff7b72',
    client_aborted: '#8b949e', peer_closed: '#6e7681', timeout: '#a371f7', worker_stopped: '#db61a2',
    rejected: '#58a6ff', shutdown_aborted: '#bc8cff', gateway_fault: '#ffa657', shard_unavailable: '#e3b341',
    overloaded: '#f0883e',
  };
  const SVG = 'http://www.w3.org/2000/svg';
  const CLUSTER_MIN_INTERVAL_MS = 500;   // cluster re-reads are debounced to at most two a second
  // Owner colours: distinct from the red used for fenced/unowned/owner-down shards.
  const NODE_COLORS = ['#58a6ff', '#3fb950', '#d29922', '#a371f7', '#db61a2', '#39c5cf', '#e3b341', '#8ddb8c',
    '#ffa657', '#79c0ff', '#d2a8ff', '#56d364'];
  const BAD_SHARD_STATES = new Set(['fenced', 'unowned', 'owner-down']);
  // Up to this many shards the map is one element per shard (own tooltip, flash on change); beyond it
  // (number-of-shards goes up to 100,000) one canvas is painted instead, so a re-read stays cheap.
  const SHARD_CELLS_MAX = 2048;
  const BAD_SHARD_COLOR = '#f85149';

  const model = {
    routes: new Map(),            // name -> { info, totals, rows: Map(path -> row), order: [path], filter, total }
    snapshotId: 0,                // events up to this id are already in the /workers snapshot
    lastId: 0,
    series: new Map(),            // route -> [{ t, byOutcome, p50, p90, p99 }]
    timeline: [],                 // supervision (failures, restarts, stops, escalations), newest first
    lifecycle: [],                // starts and passivations, newest first (bounded separately)
    showLifecycle: false,
  };
  const dirty = { routes: new Set(), timeline: false, charts: false, summary: false, flash: new Set() };

  // What tests (and curious operators) can read: every id received, gaps announced, connections made.
  const probe = window.actorhostDashboard = { receivedIds: [], gaps: [], connects: 0, ready: false, clusterLoads: 0, cluster: 'loading' };

  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };
  // The formatters are built once. toLocaleString and toLocaleTimeString build one per call (about 57 and 280 µs
  // in Chromium on the 2-core test machine), and every re-render of the timeline formats the time of each of its
  // up to 300 entries.
  const numberFormat = new Intl.NumberFormat('en-US');
  const timeFormat = new Intl.DateTimeFormat('en-GB', { hour12: false, hour: 'numeric', minute: 'numeric', second: 'numeric' });
  const fmt = (n) => (n === null || n === undefined) ? '–' : numberFormat.format(Number(n));
  const ms = (n) => (n === null || n === undefined) ? '–' : (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n)) + ' ms';
  const clock = (t) => { const d = new Date(t); return Number.isNaN(d.getTime()) ? '–' : timeFormat.format(d); };
  const shortType = (t) => (t || '').split('.').pop();

  // ---------------------------------------------------------------- loading
  async function getJson(url) {
    const r = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(url + ' answered ' + r.status);
    return r.json();
  }

  async function loadRoute(name) {
    const route = model.routes.get(name);
    const q = route && route.filter ? '&q=' + encodeURIComponent(route.filter) : '';
    const data = await getJson('/workers?route=' + encodeURIComponent(name) + '&limit=' + ROW_LIMIT + q);
    if (data.routes.length) applyRoute(data.routes[0], true);
  }

  function applyRoute(r, replaceRows) {
    let route = model.routes.get(r.name);
    if (!route) {
      route = { info: r, totals: r.totals, rows: new Map(), order: [], filter: '', total: 0, open: true };
      model.routes.set(r.name, route);
    }
    route.info = r;
    route.totals = r.totals;
    route.total = r.page.total;
    if (replaceRows) {
      route.rows.clear();
      route.order = [];
      for (const w of r.page.workers) { route.rows.set(w.path, w); route.order.push(w.path); }
    }
    dirty.routes.add(r.name);
    dirty.summary = true;
    schedule();
  }

  async function start() {
    const [workers, stats] = await Promise.all([getJson('/workers?limit=' + ROW_LIMIT), getJson('/stats')]);
    model.snapshotId = workers.lastEventId;
    model.lastId = Math.max(0, workers.lastEventId - BACKFILL);
    for (const r of workers.routes) applyRoute(r, true);
    for (const s of stats.routes) {
      const route = model.routes.get(s.route);
      if (route) route.rate = s.window.ratePerSecond;
    }
    renderPolicies();
    renderLegend();
    await loadCluster();
    connect();
    setInterval(tick, 1000);
    setInterval(reconcile, RECONCILE_MS);
    $('show-lifecycle').addEventListener('change', (e) => { model.showLifecycle = e.target.checked; dirty.timeline = true; schedule(); });
    probe.ready = true;
  }

  // ---------------------------------------------------------------- events
  let source = null;
  let retryTimer = null;

  function connect() {
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    // since= only for the first connection of this EventSource; its own reconnects send Last-Event-ID.
    source = new EventSource('/events?since=' + model.lastId);
    probe.connects++;
    setConn('connecting', 'connecting…');
    let stopping = false;
    source.onopen = () => { stopping = false; setConn('live', 'live'); };
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (e.g. a non-200 answer): start again from the last id we hold.
        setConn('down', 'disconnected — retrying');
        source.close();
        retryTimer = setTimeout(connect, 2000);
      } else {
        setConn('connecting', stopping ? 'gateway stopped — reconnecting…' : 'reconnecting…');
      }
    };
    // A stopping gateway ends the stream with this event rather than dropping the connection.
    source.addEventListener('shutdown', () => { stopping = true; setConn('down', 'gateway stopping'); });
    const types = ['worker.started', 'worker.restarted', 'worker.stopped', 'worker.failed', 'worker.retries-exhausted',
      'supervisor.escalated', 'worker.stuck', 'request.dead-letter', 'worker.hook-failed', 'worker.abandoned-handler-ended',
      'requests', 'stream.dropped', 'cluster'];
    for (const t of types) source.addEventListener(t, onEvent);
    source.addEventListener('gap', (e) => {
      const gap = JSON.parse(e.data);
      probe.gaps.push(gap);
      addTimeline({ id: 'gap-' + probe.gaps.length, type: 'gap', time: new Date().toISOString(), data: gap }, true);
      // What we show may have missed events: re-read the tree and the cluster.
      for (const name of model.routes.keys()) loadRoute(name).catch(() => {});
      refreshClusterSoon();
    });
  }

  function setConn(state, text) {
    const c = $('conn');
    c.dataset.state = state;
    $('conn-text').textContent = text;
  }

  function onEvent(e) {
    const id = Number(e.lastEventId);
    const ev = JSON.parse(e.data);
    probe.receivedIds.push(id);
    model.lastId = Math.max(model.lastId, id);
    $('conn-id').textContent = '#' + id;
    const fresh = id > model.snapshotId;    // older ones are history: timeline only
    switch (ev.type) {
      case 'requests': if (fresh) onRequests(ev); break;
      case 'stream.dropped': addTimeline(ev, fresh); break;
      case 'cluster':
        addTimeline(ev, fresh);
        if (fresh) refreshClusterSoon();
        break;
      default:
        if (fresh) applyWorkerEvent(ev);
        addTimeline(ev, fresh);
    }
  }

  function applyWorkerEvent(ev) {
    const d = ev.data;
    const route = model.routes.get(d.route);
    if (!route) return;
    const t = route.totals;
    let row = route.rows.get(d.path);
    // A worker not in the list is added only when it fails (on top) or while the list has room: with
    // 10,000 entities, creations and passivations must not churn the rows an operator is reading.
    const ensureRow = (onTop) => {
      if (row || route.filter || (!onTop && route.order.length >= ROW_LIMIT)) return row;
      const name = d.path.split('/').pop();
      row = { path: d.path, name, entityKey: route.info.mode === 'entity' ? decodeURIComponent(name) : null, incarnation: d.incarnation || 0,
        state: 'running', restarts: 0, failures: 0, processed: 0, mailboxDepth: 0, lastFailure: null };
      route.rows.set(d.path, row);
      if (onTop) route.order.unshift(d.path); else route.order.push(d.path);
      if (route.order.length > ROW_LIMIT) route.rows.delete(route.order.pop());
      return row;
    };
    let flash = false;
    switch (ev.type) {
      case 'worker.started':
        t.workers++; t.running++;
        if (ensureRow(false)) { row.incarnation = d.incarnation; if (row.state === 'passivated' || row.state === 'stopped') { t[row.state]--; t.workers--; } row.state = 'running'; }
        route.total = Math.max(route.total, route.rows.size);
        break;
      case 'worker.failed':
        t.failures++;
        flash = true;
        if (ensureRow(true)) {
          // The worker that just failed is the one an operator wants to see: move it to the top.
          route.order = [d.path, ...route.order.filter((p) => p !== d.path)];
          row.failures++;
          row.lastFailure = { type: d.exception, message: d.message, time: ev.time, directive: d.directive };
          if (d.directive === 'restart') { row.state = 'restarting'; }
        }
        break;
      case 'worker.restarted':
        t.restarts++;
        flash = true;
        if (ensureRow(true)) { row.restarts++; row.incarnation = d.incarnation; row.state = 'running'; }
        break;
      case 'worker.stopped': {
        const state = d.reason === 'passivated' ? 'passivated' : 'stopped';
        t.running = Math.max(0, t.running - 1);
        t[state]++;
        if (row) row.state = state;
        break;
      }
      default: return;
    }
    if (row && flash) dirty.flash.add(d.path);
    dirty.routes.add(d.route);
    dirty.summary = true;
    schedule();
  }

  function onRequests(ev) {
    const now = Date.parse(ev.time);
    for (const r of ev.data.routes) {
      let s = model.series.get(r.route);
      if (!s) { s = []; model.series.set(r.route, s); }
      s.push({ t: now, byOutcome: r.byOutcome, count: r.count, p50: r.latencyMs.p50, p90: r.latencyMs.p90, p99: r.latencyMs.p99 });
      const route = model.routes.get(r.route);
      if (route) { route.rate = r.ratePerSecond; route.totals.processed += r.count; route.latency = r.latencyMs; dirty.routes.add(r.route); }
    }
    dirty.charts = true;
    dirty.summary = true;
    schedule();
  }

  const isLifecycle = (ev) => ev.type === 'worker.started' || (ev.type === 'worker.stopped' && ev.data.reason !== 'stopped');

  function addTimeline(ev, fresh) {
    const list = isLifecycle(ev) ? model.lifecycle : model.timeline;
    list.unshift({ ev, fresh });
    if (list.length > TIMELINE_LIMIT) list.length = TIMELINE_LIMIT;
    dirty.timeline = true;
    schedule();
  }

  function tick() { dirty.charts = true; schedule(); }

  async function reconcile() {
    if (document.visibilityState !== 'visible') return;
    for (const [name, route] of model.routes) if (route.open) await loadRoute(name).catch(() => {});
  }


  // ---------------------------------------------------------------- cluster
  const cluster = { enabled: null, members: [], shards: null, colors: new Map(), previous: new Map(), readAt: null };
  let clusterTimer = 0;
  let clusterLastLoad = 0;
  let clusterLoading = false;
  let clusterAgain = false;

  // A burst of cluster events (a rebalance hands off ten shards) costs one re-read: the first event schedules
  // it at once unless one ran within CLUSTER_MIN_INTERVAL_MS, later ones join the scheduled one.
  function refreshClusterSoon() {
    if (cluster.enabled === false) return;
    if (clusterLoading) { clusterAgain = true; return; }
    if (clusterTimer) return;
    const wait = Math.max(0, clusterLastLoad + CLUSTER_MIN_INTERVAL_MS - Date.now());
    clusterTimer = setTimeout(() => { clusterTimer = 0; loadCluster(); }, wait);
  }

  async function loadCluster() {
    clusterLoading = true;
    clusterLastLoad = Date.now();
    try {
      const [members, shards] = await Promise.all([fetchCluster('/cluster/members'), fetchCluster('/cluster/shards')]);
      if (members === null || shards === null) {
        cluster.enabled = false;
        probe.cluster = 'off';
      } else {
        cluster.enabled = true;
        cluster.members = members;
        cluster.shards = shards;
        cluster.readAt = new Date();
        probe.cluster = 'on';
      }
      renderCluster();
    } catch (e) {
      showClusterError('cluster view unavailable: ' + e.message);
    } finally {
      probe.clusterLoads++;
      clusterLoading = false;
      if (clusterAgain) { clusterAgain = false; refreshClusterSoon(); }
    }
  }

  // null = the cluster is off (404 problem from the management API).
  async function fetchCluster(url) {
    const r = await fetch(url, { headers: { Accept: 'application/json' } });
    if (r.status === 404) return null;
    if (!r.ok) throw new Error(url + ' answered ' + r.status);
    return r.json();
  }

  function showClusterError(text) {
    const box = $('cluster');
    box.dataset.state = 'error';
    probe.cluster = 'error';
    $('cluster-error').textContent = text;
    $('cluster-error').hidden = false;
  }

  const shardList = (shards) => shards.length > 8
    ? 'shards ' + shards.slice(0, 8).join(', ') + ' … (' + shards.length + ')'
    : (shards.length === 1 ? 'shard ' : 'shards ') + shards.join(', ');

  function clusterTagClass(kind) {
    if (kind === 'fenced' || kind === 'shard_lost' || kind === 'displaced') return 'fenced';
    if (kind.startsWith('handoff')) return 'handoff';
    if (kind === 'member_down' || kind === 'member_removed' || kind === 'member_leaving') return 'member-down';
    if (kind === 'member_up' || kind === 'recovered') return 'member';
    return 'cluster';
  }

  function age(msValue) {
    if (msValue === null || msValue === undefined) return '–';
    return msValue < 1000 ? Math.round(msValue) + ' ms' : (msValue / 1000).toFixed(1) + ' s';
  }

  // Colours follow the sorted member ids, so a node keeps its colour across re-reads and on every node's dashboard.
  function colorOf(node) {
    if (!node) return null;
    if (!cluster.colors.has(node)) {
      const known = new Set([...cluster.members.members.map((m) => m.node), ...Object.keys(cluster.shards.byOwner), node]);
      [...known].sort().forEach((n, i) => { if (!cluster.colors.has(n)) cluster.colors.set(n, NODE_COLORS[i % NODE_COLORS.length]); });
    }
    return cluster.colors.get(node);
  }

  function renderCluster() {
    const box = $('cluster');
    $('cluster-error').hidden = true;
    if (!cluster.enabled) {
      box.dataset.state = 'off';
      $('cluster-off').hidden = false;
      $('cluster-body').hidden = true;
      $('cluster-note').textContent = 'single node';
      return;
    }
    box.dataset.state = 'on';
    $('cluster-off').hidden = true;
    $('cluster-body').hidden = false;
    const m = cluster.members, s = cluster.shards;
    const self = m.members.find((x) => x.self);
    $('cluster-note').textContent = `this node ${m.selfNode} · ${self ? self.status : '?'} · read ${clock(cluster.readAt)}`;
    renderMembers(m);
    renderShardLegend(m, s);
    renderShardMap(s);
  }

  function renderMembers(m) {
    const rows = m.members.map((x) => {
      const tr = el('tr');
      tr.dataset.node = x.node;
      const name = el('td', 'l');
      const sw = el('i', 'swatch'); sw.style.background = colorOf(x.node);
      name.append(sw, document.createTextNode(x.node));
      if (x.self) name.append(el('span', 'self-mark', 'self'));
      const status = el('td', 'l');
      status.dataset.field = 'status';
      status.append(el('span', 'member-status ' + x.status, x.status));
      const shards = el('td', null, fmt(x.shards)); shards.dataset.field = 'shards';
      const hb = el('td', null, age(x.heartbeatAgeMs)); hb.dataset.field = 'heartbeat';
      const address = el('td', 'l', x.address);
      const started = el('td', 'l', clock(x.startedAt)); started.title = x.startedAt;
      tr.append(name, status, shards, hb, address, started);
      return tr;
    });
    $('members').querySelector('tbody').replaceChildren(...rows);
  }

  function renderShardLegend(m, s) {
    const legend = $('shard-legend');
    const owners = new Set([...m.members.map((x) => x.node), ...Object.keys(s.byOwner)]);
    const items = [...owners].sort().map((node) => {
      const span = el('span');
      span.dataset.node = node;
      const i = el('i'); i.style.background = colorOf(node);
      span.append(i, document.createTextNode(`${node} (${fmt(s.byOwner[node] || 0)})`));
      return span;
    });
    const bad = el('span');
    bad.append(el('i', 'hatch'), document.createTextNode('fenced / unowned / owner down'));
    items.push(bad);
    legend.replaceChildren(...items);
    const problems = s.shards.filter((x) => BAD_SHARD_STATES.has(x.state)).length;
    const handing = s.shards.filter((x) => x.state === 'handing-off').length;
    $('shard-summary').textContent = `${fmt(s.numberOfShards)} shards · ${fmt(s.unowned)} unowned` +
      (handing ? ` · ${fmt(handing)} handing off` : '') + (problems ? ` · ${fmt(problems)} not served` : '');
  }

  const shardTitle = (x) => `shard ${x.shard} · owner ${x.owner || '—'} · epoch ${x.epoch} · ${x.state}` +
    (x.owner ? ` · lease ${x.leaseRemainingMs > 0 ? age(x.leaseRemainingMs) + ' left' : 'expired'}` : '');

  function renderShardMap(s) {
    const map = $('shard-map');
    if (s.shards.length > SHARD_CELLS_MAX) { renderShardCanvas(map, s); return; }
    map.classList.remove('dense');
    let cells = map.children;
    if (cells.length !== s.shards.length || map.firstElementChild?.tagName === 'CANVAS') {
      const fresh = s.shards.map(() => el('div', 'shard'));
      map.replaceChildren(...fresh);
      cells = map.children;
    }
    const next = new Map();
    s.shards.forEach((x, i) => {
      const cell = cells[i];
      const key = `${x.owner}|${x.epoch}|${x.state}`;
      next.set(x.shard, key);
      const before = cluster.previous.get(x.shard);
      cell.dataset.shard = x.shard;
      cell.dataset.owner = x.owner || '';
      cell.dataset.state = x.state;
      cell.className = 'shard ' + x.state;
      cell.style.backgroundColor = BAD_SHARD_STATES.has(x.state) ? '' : (colorOf(x.owner) || '');
      cell.title = shardTitle(x);
      if (before !== undefined && before !== key) { void cell.offsetWidth; cell.classList.add('changed'); }
    });
    cluster.previous = next;
  }

  // Dense map: 4 px per shard (3 px above 20,000), not-served shards in red; the tooltip follows the pointer.
  function renderShardCanvas(map, s) {
    let canvas = map.firstElementChild;
    if (!canvas || canvas.tagName !== 'CANVAS') {
      canvas = document.createElement('canvas');
      canvas.setAttribute('role', 'img');
      canvas.addEventListener('mousemove', (e) => {
        const shards = cluster.shards ? cluster.shards.shards : [];
        const cell = Number(canvas.dataset.cell), cols = Number(canvas.dataset.cols);
        const i = Math.floor(e.offsetY / cell) * cols + Math.floor(e.offsetX / cell);
        canvas.title = shards[i] ? shardTitle(shards[i]) : '';
      });
      map.replaceChildren(canvas);
    }
    map.classList.add('dense');
    const n = s.shards.length;
    const cell = n > 20000 ? 3 : 4;
    const cols = Math.max(1, Math.floor(Math.max(200, map.clientWidth - 20) / cell));
    canvas.width = cols * cell;
    canvas.height = Math.ceil(n / cols) * cell;
    canvas.dataset.cell = cell;
    canvas.dataset.cols = cols;
    canvas.dataset.shards = n;
    canvas.setAttribute('aria-label', `shard map of ${n} shards coloured by owner`);
    const g = canvas.getContext('2d');
    g.clearRect(0, 0, canvas.width, canvas.height);
    s.shards.forEach((x, i) => {
      g.fillStyle = BAD_SHARD_STATES.has(x.state) ? BAD_SHARD_COLOR : (colorOf(x.owner) || '#17202b');
      g.fillRect((i % cols) * cell, Math.floor(i / cols) * cell, cell - 1, cell - 1);
    });
    cluster.previous = new Map();
  }

  // ---------------------------------------------------------------- rendering (once per frame at most)
  let frame = 0;
  function schedule() { if (!frame) frame = requestAnimationFrame(render); }

  function render() {
    frame = 0;
    for (const name of dirty.routes) renderRoute(name);
    dirty.routes.clear();
    dirty.flash.clear();
    if (dirty.timeline) { renderTimeline(); dirty.timeline = false; }
    if (dirty.charts) { renderCharts(); dirty.charts = false; }
    if (dirty.summary) { renderSummary(); dirty.summary = false; }
  }

  function renderSummary() {
    let workers = 0, restarts = 0, failures = 0, rate = 0;
    for (const r of model.routes.values()) {
      workers += r.totals.running + r.totals.restarting;
      restarts += r.totals.restarts; failures += r.totals.failures; rate += r.rate || 0;
    }
    $('sum-routes').textContent = fmt(model.routes.size);
    $('sum-workers').textContent = fmt(workers);
    $('sum-restarts').textContent = fmt(restarts);
    $('sum-failures').textContent = fmt(failures);
    $('sum-rate').textContent = rate.toFixed(1);
  }

  function routeElement(name) {
    let box = document.querySelector(`.route[data-route="${CSS.escape(name)}"]`);
    if (box) return box;
    const route = model.routes.get(name);
    box = el('details', 'route');
    box.dataset.route = name;
    box.open = route.open;
    box.addEventListener('toggle', () => { route.open = box.open; });
    const summary = el('summary');
    const left = el('div');
    left.append(el('div', 'route-name', name), el('div', 'route-meta'));
    summary.append(left, el('div', 'chips'));
    const tools = el('div', 'route-tools');
    const filter = el('input');
    filter.type = 'search';
    filter.placeholder = 'filter by key…';
    filter.setAttribute('aria-label', 'filter workers of ' + name);
    let debounce = 0;
    filter.addEventListener('input', () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => { route.filter = filter.value.trim(); loadRoute(name).catch(() => {}); }, 250);
    });
    tools.append(filter, el('span', 'muted shown'));
    const scroll = el('div', 'scroll');
    const table = el('table', 'workers');
    const head = el('tr');
    for (const [label, cls] of [['worker', 'l'], ['state', 'l'], ['inc', ''], ['restarts', ''], ['failures', ''], ['processed', ''], ['mailbox', ''], ['last failure', 'l']]) {
      const th = el('th', cls, label); th.scope = 'col'; head.append(th);
    }
    const thead = el('thead'); thead.append(head);
    table.append(thead, el('tbody'));
    scroll.append(table);
    box.append(summary, tools, scroll);
    $('routes').append(box);
    return box;
  }

  function chip(label, value, cls) {
    const c = el('span', 'chip' + (cls ? ' ' + cls : ''));
    const b = el('b', null, fmt(value));
    c.append(b, document.createTextNode(' ' + label));
    return c;
  }

  function renderRoute(name) {
    const route = model.routes.get(name);
    const box = routeElement(name);
    const info = route.info, t = route.totals;
    box.querySelector('.route-meta').textContent =
      `${info.mode}${info.router ? ' · ' + info.router + ' × ' + info.instances : ''} · worker ${info.worker} · ${info.strategy.name}` +
      (info.strategy.type ? ` (${info.strategy.type})` : '') + ` · ${info.template}`;
    const chips = box.querySelector('.chips');
    chips.replaceChildren(
      chip('running', t.running, 'good'),
      chip('restarting', t.restarting, t.restarting ? 'warn' : ''),
      chip('stopped', t.stopped, t.stopped ? 'bad' : ''),
      chip('passivated', t.passivated),
      chip('restarts', t.restarts, t.restarts ? 'warn' : ''),
      chip('failures', t.failures, t.failures ? 'bad' : ''),
      chip('processed', t.processed),
      chip('queued', t.mailboxDepth));
    box.querySelector('.shown').textContent = route.order.length < route.total
      ? `showing ${fmt(route.order.length)} of ${fmt(route.total)} — filter to find one` : `${fmt(route.total)} workers`;
    const tbody = box.querySelector('tbody');
    const existing = new Map();
    for (const tr of tbody.children) existing.set(tr.dataset.path, tr);
    const rows = [];
    for (const path of route.order) {
      const w = route.rows.get(path);
      if (!w) continue;
      let tr = existing.get(path);
      if (!tr) {
        tr = el('tr');
        tr.dataset.path = path;
        for (const f of ['name', 'state', 'incarnation', 'restarts', 'failures', 'processed', 'mailboxDepth', 'lastFailure']) {
          const td = el('td', f === 'name' ? 'l' : f === 'lastFailure' ? 'fail' : f === 'state' ? 'l' : '');
          td.dataset.field = f;
          tr.append(td);
        }
      }
      fillRow(tr, w);
      if (dirty.flash.has(path)) { tr.classList.remove('flash'); void tr.offsetWidth; tr.classList.add('flash'); }
      rows.push(tr);
    }
    tbody.replaceChildren(...rows);
  }

  function fillRow(tr, w) {
    const c = tr.children;
    c[0].textContent = w.entityKey ?? w.name;
    c[0].title = w.path;
    const badge = c[1].firstChild || c[1].appendChild(el('span'));
    badge.className = 'state ' + w.state;
    badge.textContent = w.state;
    c[2].textContent = fmt(w.incarnation);
    c[3].textContent = fmt(w.restarts);
    c[4].textContent = fmt(w.failures);
    c[5].textContent = fmt(w.processed);
    c[6].textContent = fmt(w.mailboxDepth);
    const f = w.lastFailure;
    c[7].textContent = f ? `${shortType(f.type)} → ${f.directive} · ${clock(f.time)}` : '';
    c[7].title = f ? `${f.type}: ${f.message}` : '';
  }

  function renderTimeline() {
    const list = $('timeline');
    const entries = model.showLifecycle
      ? [...model.timeline, ...model.lifecycle].sort((a, b) => Date.parse(b.ev.time) - Date.parse(a.ev.time)).slice(0, TIMELINE_LIMIT)
      : model.timeline;
    list.replaceChildren(...entries.map(({ ev, fresh }) => timelineItem(ev, fresh)));
    for (const entry of entries) entry.fresh = false;   // flash once
  }

  function msg(text) {
    const m = el('span', 'msg', text);
    m.title = text;
    return m;
  }

  function timelineItem(ev, fresh) {
    const li = el('li', fresh ? 'new' : '');
    li.dataset.eventId = ev.id;
    li.dataset.type = ev.type;
    const d = ev.data || {};
    li.append(el('time', null, clock(ev.time)));
    const what = el('div', 'what');
    const tag = (cls, text) => what.append(el('span', 'tag ' + cls, text));
    switch (ev.type) {
      case 'worker.failed':
        tag('failed', 'failed'); tag(d.directive, d.directive);
        what.append(el('span', 'path', d.path + ' #' + d.incarnation));
        what.append(msg(`${d.exception}: ${d.message}`));
        break;
      case 'worker.restarted':
        tag('restart', 'restarted');
        what.append(el('span', 'path', `${d.path} → #${d.incarnation}`));
        what.append(el('span', 'msg', 'cause ' + d.cause));
        break;
      case 'worker.stopped':
        tag(d.reason === 'stopped' ? 'stop' : 'lifecycle', d.reason);
        what.append(el('span', 'path', d.path + ' #' + d.incarnation));
        break;
      case 'worker.started':
        tag('lifecycle', 'started');
        what.append(el('span', 'path', d.path + ' #' + d.incarnation));
        break;
      case 'supervisor.escalated':
        tag('escalate', 'escalated');
        what.append(el('span', 'path', `${d.child} → ${d.path}`));
        what.append(msg(`${d.exception}: ${d.message}`));
        break;
      case 'worker.retries-exhausted':
        tag('stop', 'retries exhausted');
        what.append(el('span', 'path', d.path));
        what.append(el('span', 'msg', `${d.maxNrOfRetries} within ${d.withinTimeRange}`));
        break;
      case 'cluster':
        li.dataset.kind = d.kind;
        tag(clusterTagClass(d.kind), d.kind.replace(/_/g, ' '));
        what.append(el('span', 'path', d.node + (d.shards && d.shards.length ? ' · ' + shardList(d.shards) : '') +
          (d.epoch !== null && d.epoch !== undefined ? ' · epoch ' + d.epoch : '')));
        if (d.detail) what.append(msg(d.detail));
        break;
      case 'gap':
        tag('gap', 'gap');
        what.append(el('span', 'msg', d.reason === 'too-old'
          ? `${fmt(d.missed)} events were too old to resume; the view was re-read`
          : 'the gateway restarted; the view was re-read'));
        break;
      default:
        tag('lifecycle', ev.type);
        what.append(el('span', 'path', d.path || ''));
        if (d.requestId) what.append(el('span', 'msg', 'request ' + d.requestId));
        if (d.dropped) what.append(el('span', 'msg', d.dropped + ' events dropped by a slow subscriber'));
    }
    li.append(what);
    return li;
  }

  function renderLegend() {
    const legend = $('legend');
    for (const o of OUTCOMES) {
      const s = el('span');
      const i = el('i'); i.style.background = COLORS[o];
      s.append(i, document.createTextNode(o));
      legend.append(s);
    }
    const lat = el('span', null, 'latency: ');
    lat.append(el('b', 'p50', 'p50 '), el('b', 'p90', 'p90 '), el('b', 'p99', 'p99'));
    legend.append(lat);
  }

  function renderCharts() {
    const box = $('charts');
    const now = Date.now();
    const from = now - CHART_SECONDS * 1000;
    const names = [...model.routes.keys()].filter((n) => model.series.has(n) || model.routes.get(n).rate);
    if (!names.length) {
      if (!box.firstChild) box.append(el('p', 'placeholder', 'No requests yet.'));
      return;
    }
    box.querySelector('.placeholder')?.remove();
    for (const name of names) {
      const series = (model.series.get(name) || []).filter((p) => p.t >= from);
      model.series.set(name, series);
      let card = box.querySelector(`.chart[data-route="${CSS.escape(name)}"]`);
      if (!card) {
        card = el('div', 'chart');
        card.dataset.route = name;
        const h = el('h3'); h.append(el('b', null, name), el('span'));
        const bars = document.createElementNS(SVG, 'svg');
        bars.setAttribute('viewBox', `0 0 ${CHART_SECONDS * 5} 64`); bars.setAttribute('preserveAspectRatio', 'none');
        bars.setAttribute('role', 'img'); bars.setAttribute('aria-label', 'requests per second by outcome for ' + name);
        const lat = document.createElementNS(SVG, 'svg');
        lat.classList.add('lat');
        lat.setAttribute('viewBox', `0 0 ${CHART_SECONDS * 5} 44`); lat.setAttribute('preserveAspectRatio', 'none');
        lat.setAttribute('role', 'img'); lat.setAttribute('aria-label', 'latency percentiles for ' + name);
        card.append(h, bars, lat, el('div', 'lat-legend'));
        box.append(card);
      }
      const route = model.routes.get(name);
      const last = series[series.length - 1];
      card.querySelector('h3 span').textContent = `${(route.rate || 0).toFixed(1)} req/s`;
      drawBars(card.querySelector('svg:not(.lat)'), series, now);
      drawLatency(card.querySelector('svg.lat'), series, now);
      const l = route.latency || last || {};
      const legend = card.querySelector('.lat-legend');
      legend.replaceChildren(el('span', 'p50', 'p50 ' + ms(l.p50)), el('span', 'p90', 'p90 ' + ms(l.p90)), el('span', 'p99', 'p99 ' + ms(l.p99)));
    }
  }

  const xOf = (t, now) => (CHART_SECONDS - (now - t) / 1000) * 5;

  function drawBars(svg, series, now) {
    const max = Math.max(1, ...series.map((p) => p.count));
    const parts = [];
    for (const p of series) {
      let y = 64;
      const x = xOf(p.t, now) - 4;
      for (const o of OUTCOMES) {
        const n = p.byOutcome[o];
        if (!n) continue;
        const h = (n / max) * 60;
        y -= h;
        const r = document.createElementNS(SVG, 'rect');
        r.setAttribute('x', x.toFixed(1)); r.setAttribute('y', y.toFixed(1));
        r.setAttribute('width', '4'); r.setAttribute('height', Math.max(h, 0.5).toFixed(1));
        r.setAttribute('fill', COLORS[o]);
        const title = document.createElementNS(SVG, 'title'); title.textContent = `${o}: ${n}`;
        r.append(title);
        parts.push(r);
      }
    }
    svg.replaceChildren(...parts);
  }

  function drawLatency(svg, series, now) {
    const points = series.filter((p) => p.p99 !== null && p.p99 !== undefined);
    const max = Math.max(1, ...points.map((p) => p.p99));
    const parts = [];
    for (const [key, color] of [['p50', '#79c0ff'], ['p90', '#d2a8ff'], ['p99', '#ffa198']]) {
      if (!points.length) break;
      const line = document.createElementNS(SVG, 'polyline');
      line.setAttribute('points', points.map((p) => `${xOf(p.t, now).toFixed(1)},${(42 - (p[key] / max) * 38).toFixed(1)}`).join(' '));
      line.setAttribute('fill', 'none'); line.setAttribute('stroke', color); line.setAttribute('stroke-width', '1.5');
      line.setAttribute('vector-effect', 'non-scaling-stroke');
      parts.push(line);
      for (const p of points) {
        // A dot per second too: a single busy second still shows.
        const dot = document.createElementNS(SVG, 'rect');
        dot.setAttribute('x', (xOf(p.t, now) - 1.5).toFixed(1)); dot.setAttribute('y', (42 - (p[key] / max) * 38 - 1.5).toFixed(1));
        dot.setAttribute('width', '3'); dot.setAttribute('height', '3'); dot.setAttribute('fill', color);
        const title = document.createElementNS(SVG, 'title'); title.textContent = `${key} ${ms(p[key])}`;
        dot.append(title);
        parts.push(dot);
      }
    }
    svg.replaceChildren(...parts);
  }

  // "/long/path/hocon/actorhost.conf:12:3" → "hocon/actorhost.conf:12:3" (full path in the tooltip).
  function shortOrigin(origin) {
    if (!origin) return 'built-in default';
    const parts = origin.split('/');
    return parts.length > 2 ? '…/' + parts.slice(-2).join('/') : origin;
  }

  function renderPolicies() {
    const box = $('policies');
    box.replaceChildren();
    for (const [name, route] of model.routes) {
      const s = route.info.strategy;
      const card = el('div', 'policy');
      card.dataset.route = name;
      card.append(el('h3', null, `${name} → ${s.name}`));
      const dl = el('dl');
      const row = (k, v, cls) => { dl.append(el('dt', null, k), el('dd', cls, v)); };
      row('type', s.type ?? '?');
      row('retries', s.maxNrOfRetries === undefined ? '?' : (s.maxNrOfRetries < 0 ? 'unlimited' : s.maxNrOfRetries) + ' within ' + s.withinTimeRange);
      for (const d of s.decider || []) row(d.exception === '*' ? '*' : shortType(d.exception), d.directive);
      row('origin', shortOrigin(s.origin), 'origin');
      dl.lastChild.title = s.origin || '';
      card.append(dl);
      box.append(card);
    }
  }

  start().catch((e) => { setConn('down', 'failed to load: ' + e.message); });
})();
