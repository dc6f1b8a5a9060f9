// go-wsc console: one user's connection (WebSocket or SSE), a chat-like log,
// and views of the hub through the HTTP API. Plain browser JavaScript, no
// build step. Everything the server sends is put on the page as text, never
// as HTML.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);

  // Content types a frame may carry (PROTOCOL.md); SSE names its events so.
  const CONTENT_TYPES = ['text', 'image', 'file', 'audio', 'video', 'system', 'notice', 'event'];
  // Close codes after which a client must not reconnect (PROTOCOL.md).
  const NO_RECONNECT = new Set([1000, 1008, 3000]);
  const CLOSE_NAMES = {
    1000: 'normal', 1001: 'going away', 1006: 'connection lost', 1008: 'policy violation',
    1009: 'message too big', 3000: 'replaced', 3001: 'idle timeout', 3002: 'slow consumer', 3003: 'rate limited',
  };
  // Deliveries after which a sent message's status no longer changes.
  const FINAL = new Set(['acknowledged', 'failed', 'expired']);
  const RETRYABLE = new Set(['failed', 'ack_timeout', 'user_offline']);
  const BACKOFF_MIN_MS = 500;
  const BACKOFF_MAX_MS = 30000;
  const STATUS_POLL_MS = 700;
  const OFFLINE_POLL_MS = 3000; // an offline message changes only when its user connects
  const STATUS_POLL_FOR_MS = 15 * 60 * 1000;
  const SSE_PING_MS = 25000; // well inside the server's SSE timeout (2 min by default)

  const state = {
    me: null, // {id, type, tickets}
    wanted: false, // the user asked to be connected
    link: null, // the live connection: {kind, send(frame) → Promise<bool>, close()}
    attempt: 0, // reconnect attempts since the last success
    retryTimer: 0,
    // Per page load: a reconnect of this page replaces its own old connection
    // (3000) and no other page's.
    connId: 'c-' + Math.random().toString(36).slice(2, 10),
    lastEventId: '', // SSE resume point
    sent: new Map(), // message id → outgoing entry
    seen: new Map(), // incoming message id → incoming entry
    polling: false,
  };

  // ---- messages to the user ----

  let bannerTimer = 0;
  function banner(text, kind) {
    const b = $('banner');
    $('banner-text').textContent = text;
    b.dataset.kind = kind;
    b.hidden = false;
    clearTimeout(bannerTimer);
    if (kind === 'info') bannerTimer = setTimeout(() => { b.hidden = true; }, 5000);
  }
  const showError = (text) => banner(text, 'error');
  const showInfo = (text) => banner(text, 'info');

  function setPill(el, st, text) {
    el.dataset.state = st;
    el.className = 'pill ' + st;
    el.textContent = text;
  }
  const setConn = (st, text) => setPill($('conn-state'), st, text);
  let serverUp = null;
  function setServer(up) {
    if (up === serverUp) return;
    serverUp = up;
    setPill($('server-state'), up ? 'on' : 'off', up ? 'server: up' : 'server: unreachable');
  }

  // ---- the HTTP API ----

  // api answers {status, data}; status 0 when the server cannot be reached.
  // A 4xx is an answer, not an exception: callers decide what it means.
  async function api(method, path, body) {
    const opts = { method, headers: {} };
    if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    let resp;
    try {
      resp = await fetch(path, opts);
    } catch (_) {
      setServer(false);
      return { status: 0, data: { error: 'server unreachable' } };
    }
    setServer(true);
    let data = {};
    try { data = await resp.json(); } catch (_) { /* not JSON: keep {} */ }
    return { status: resp.status, data: data || {} };
  }
  const errorOf = (r) => r.data.error || r.data.content || ('HTTP ' + r.status);

  // ---- connection ----

  function params() {
    const p = new URLSearchParams({ user_id: state.me.id, user_type: state.me.type, conn_id: state.connId });
    if (state.me.tickets.length) p.set('ticket_id', state.me.tickets.join(','));
    return p;
  }

  function connect() {
    clearTimeout(state.retryTimer);
    if (!state.wanted) return;
    const kind = transport();
    setConn('wait', `connecting over ${kind === 'sse' ? 'SSE' : 'WebSocket'}…`);
    state.link = kind === 'sse' ? openSSE(params()) : openWS(params());
  }

  function openWS(p) {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}/ws?${p}`);
    const link = {
      kind: 'ws',
      send: async (frame) => {
        if (ws.readyState !== WebSocket.OPEN) return false;
        ws.send(JSON.stringify(frame));
        return true;
      },
      close: () => ws.close(1000, 'signed out'),
    };
    ws.onopen = () => connected(link);
    ws.onmessage = (ev) => onFrame(ev.data);
    ws.onclose = (ev) => disconnected(link, ev.code, ev.reason);
    return link;
  }

  function openSSE(p) {
    if (state.lastEventId) p.set('last_event_id', state.lastEventId);
    const es = new EventSource('/sse?' + p);
    const link = {
      kind: 'sse',
      session: '',
      pinger: 0,
      send: async (frame) => {
        if (!link.session) return false;
        const q = new URLSearchParams({ session: link.session, user_id: state.me.id });
        const r = await api('POST', '/sse?' + q, frame);
        if (r.status !== 202) {
          showError(`SSE send refused (${r.status}): ${errorOf(r)}`);
          return false;
        }
        return true;
      },
      close: () => { es.close(); clearInterval(link.pinger); },
    };
    es.addEventListener('session', (ev) => {
      link.session = JSON.parse(ev.data).session;
      // An SSE stream only hears the server; a ping now and then is the
      // client activity that keeps the stream from timing out.
      link.pinger = setInterval(() => link.send({ type: 'ping' }), SSE_PING_MS);
      connected(link);
    });
    for (const t of CONTENT_TYPES.concat(['welcome', 'pong'])) {
      es.addEventListener(t, (ev) => {
        if (ev.lastEventId) state.lastEventId = ev.lastEventId;
        onFrame(ev.data);
      });
    }
    // "error" is both a server's error frame (it has data) and the
    // EventSource's own failure (it has none).
    es.addEventListener('error', (ev) => {
      if (ev instanceof MessageEvent && ev.data) {
        onFrame(ev.data);
        return;
      }
      // EventSource would retry at a fixed pace; this page backs off instead.
      link.close();
      disconnected(link, 1006, '');
    });
    es.addEventListener('close', (ev) => {
      let f = {};
      try { f = JSON.parse(ev.data); } catch (_) { /* keep {} */ }
      link.close();
      disconnected(link, f.code || 1006, f.content || '');
    });
    return link;
  }

  function connected(link) {
    if (link !== state.link) return;
    state.attempt = 0;
    setConn('on', `connected as ${state.me.id} (${state.me.type}) over ${link.kind === 'sse' ? 'SSE' : 'WebSocket'}`);
  }

  function disconnected(link, code, reason) {
    if (link !== state.link) return; // an old link, closed on purpose
    state.link = null;
    const why = `${code} ${CLOSE_NAMES[code] || ''}${reason ? ': ' + reason : ''}`.trim();
    if (!state.wanted) {
      setConn('off', 'signed out');
      return;
    }
    if (NO_RECONNECT.has(code)) {
      state.wanted = false;
      buttons();
      setConn('off', `closed (${why})`);
      showError(`The server closed the connection (${why}); not reconnecting.`);
      return;
    }
    // Exponential backoff with jitter, so that a restarted server is not hit
    // by every page at the same moment.
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** state.attempt) * (0.75 + Math.random() / 2);
    state.attempt++;
    setConn('wait', `reconnecting in ${(delay / 1000).toFixed(1)} s (attempt ${state.attempt}, ${why})`);
    state.retryTimer = setTimeout(connect, delay);
  }

  function signIn(ev) {
    ev.preventDefault();
    const id = $('user-id').value.trim();
    if (!id) {
      showError('Enter a user id to sign in.');
      return;
    }
    const tickets = $('tickets').value.split(',').map((t) => t.trim()).filter(Boolean);
    if (state.link) drop();
    state.me = { id, type: $('user-type').value, tickets };
    state.wanted = true;
    state.attempt = 0;
    $('me').textContent = `as ${id}`;
    rememberInURL();
    buttons();
    connect();
  }

  function signOut() {
    state.wanted = false;
    clearTimeout(state.retryTimer);
    drop();
    setConn('off', 'signed out');
    buttons();
  }

  // drop closes the live link without reconnecting.
  function drop() {
    const link = state.link;
    state.link = null;
    if (link) link.close();
  }

  function buttons() {
    $('connect').textContent = state.wanted ? 'Reconnect' : 'Connect';
    $('disconnect').disabled = !state.wanted;
  }

  const transport = () => document.querySelector('input[name=transport]:checked').value;
  const ackMode = () => document.querySelector('input[name=ack]:checked').value;

  // rememberInURL puts the identity in the address, so that a reload (or a
  // bookmark) signs in again.
  function rememberInURL() {
    const p = new URLSearchParams({ user_id: state.me.id, user_type: state.me.type, transport: transport(), ack: ackMode() });
    if (state.me.tickets.length) p.set('tickets', state.me.tickets.join(','));
    p.set('connect', '1');
    history.replaceState(null, '', '?' + p);
  }

  function fromURL() {
    const p = new URLSearchParams(location.search);
    if (p.get('user_id')) $('user-id').value = p.get('user_id');
    if (p.get('user_type')) $('user-type').value = p.get('user_type');
    if (p.get('tickets')) $('tickets').value = p.get('tickets');
    for (const name of ['transport', 'ack']) {
      const input = document.querySelector(`input[name=${name}][value="${CSS.escape(p.get(name) || '')}"]`);
      if (input) input.checked = true;
    }
    if (p.get('connect') === '1' && p.get('user_id')) $('connect').click();
  }

  // ---- incoming frames ----

  function onFrame(text) {
    let f;
    try { f = JSON.parse(text); } catch (_) {
      showError('The server sent a frame that is not JSON.');
      return;
    }
    switch (f.type) {
      case 'pong': case 'session': case 'close': return;
      case 'error':
        showError(`Server error ${f.code}: ${f.content}`);
        return;
      case 'welcome':
        addNote(f.content || 'welcome');
        return;
    }
    receive(f);
  }

  function receive(f) {
    let entry = state.seen.get(f.id);
    if (!entry) { // a resend of a message shown already adds nothing
      entry = addIncoming(f);
      state.seen.set(f.id, entry);
    }
    if (!f.require_ack) return;
    // A resend after an ack means the ack was lost: ack it again.
    if (ackMode() === 'auto' || entry.acked) ack(entry, 'confirmed');
    else entry.el.classList.add('needs-ack');
  }

  async function ack(entry, status) {
    const frame = { type: 'ack', message_id: entry.id, status };
    if (status === 'failed') frame.error = 'rejected in the console';
    const ok = state.link && await state.link.send(frame);
    if (!ok) {
      showError('Not connected: the ACK was not sent.');
      return;
    }
    entry.acked = true;
    entry.el.classList.remove('needs-ack');
    entry.ackEl.textContent = status === 'confirmed' ? 'acked' : 'rejected';
  }

  // ---- the log ----

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function append(li) {
    const log = $('log');
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    log.append(li);
    while (log.children.length > 500) log.firstChild.remove();
    if (atBottom) log.scrollTop = log.scrollHeight;
  }

  function addNote(text) {
    append(el('li', 'msg note', text));
  }

  function addIncoming(f) {
    const li = el('li', 'msg in');
    li.dataset.id = f.id;
    li.dataset.from = f.from;
    li.dataset.content = f.content;
    const where = f.ticket_id ? ` · ticket ${f.ticket_id}` : (f.to ? '' : ' · everyone');
    li.append(el('div', 'meta', `${f.from}${where} · ${f.type}${time(f.create_at)}`));
    li.append(el('div', 'body', f.content));
    const foot = el('div', 'foot');
    const ackEl = el('span', 'ack', f.require_ack ? 'ACK required' : '');
    foot.append(ackEl);
    const entry = { id: f.id, el: li, ackEl, acked: false };
    if (f.require_ack) {
      const yes = el('button', 'ack-btn', 'Ack');
      yes.type = 'button';
      yes.onclick = () => ack(entry, 'confirmed');
      const no = el('button', 'reject-btn', 'Reject');
      no.type = 'button';
      no.onclick = () => ack(entry, 'failed');
      foot.append(yes, no);
    }
    li.append(foot);
    append(li);
    return entry;
  }

  function addOutgoing(body) {
    const li = el('li', 'msg out');
    li.dataset.content = body.content;
    const to = body.to ? `to ${body.to}` : body.ticket_id ? `to ticket ${body.ticket_id}` : 'to everyone';
    li.append(el('div', 'meta', `${to}${body.require_ack ? ' · ACK required' : ''}${time()}`));
    li.append(el('div', 'body', body.content));
    const status = el('span', 'status', 'sending…');
    status.dataset.delivery = 'sending';
    const foot = el('div', 'foot');
    foot.append(status);
    li.append(foot);
    append(li);
    return { el: li, statusEl: status, requireAck: !!body.require_ack, delivery: 'sending' };
  }

  function time(iso) {
    const d = iso ? new Date(iso) : new Date();
    return isNaN(d) ? '' : ' · ' + d.toLocaleTimeString();
  }

  function setDelivery(entry, delivery, detail) {
    entry.delivery = delivery;
    entry.statusEl.textContent = delivery;
    entry.statusEl.dataset.delivery = delivery;
    entry.statusEl.title = detail || '';
    entry.final = FINAL.has(delivery) || (delivery === 'delivered' && !entry.requireAck);
  }

  // ---- sending ----

  async function send(ev) {
    ev.preventDefault();
    if (!state.me) {
      showError('Sign in first: messages are sent as the signed-in user.');
      return;
    }
    const kind = $('target-kind').value;
    const target = $('target').value.trim();
    const content = $('content').value;
    if (kind !== 'broadcast' && !target) {
      showError(kind === 'user' ? 'Enter the user id to send to.' : 'Enter the ticket id to send to.');
      return;
    }
    const body = { from: state.me.id, type: 'text', content };
    if (kind === 'user') body.to = target;
    if (kind === 'ticket') body.ticket_id = target;
    if (kind === 'broadcast') body.broadcast = true;
    if (kind !== 'broadcast' && $('require-ack').checked) body.require_ack = true;
    const tags = $('send-tags').value.split(',').map((t) => t.trim()).filter(Boolean);
    if (tags.length) body.tags = tags;
    $('content').value = '';
    const entry = addOutgoing(body);
    // Through the API, not the socket: its answer carries the message id,
    // which the record (and so the status) is kept under.
    const r = await api('POST', '/api/send', body);
    if (r.status === 202 || (r.status === 404 && r.data.stored)) {
      entry.id = r.data.id;
      entry.el.dataset.id = r.data.id;
      entry.since = Date.now();
      entry.lastPoll = 0;
      state.sent.set(r.data.id, entry);
      setDelivery(entry, r.status === 202 ? 'sent' : 'offline', r.data.error);
      return;
    }
    setDelivery(entry, 'error', errorOf(r));
    entry.final = true;
    showError(`Send failed (${r.status || 'no answer'}): ${errorOf(r)}`);
  }

  // pollStatuses follows each sent message through its record: the protocol
  // has no receipt frame for the sender.
  async function pollStatuses() {
    if (state.polling) return;
    state.polling = true;
    try {
      const now = Date.now();
      for (const [id, entry] of state.sent) {
        if (entry.final || now - entry.since > STATUS_POLL_FOR_MS) {
          state.sent.delete(id);
          continue;
        }
        if (entry.delivery === 'offline' && now - entry.lastPoll < OFFLINE_POLL_MS) continue;
        entry.lastPoll = now;
        const r = await api('GET', '/api/records/' + encodeURIComponent(id));
        if (r.status === 200) {
          const d = r.data;
          setDelivery(entry, d.delivery, [d.status, d.reason, d.error].filter(Boolean).join(' · '));
        } else if (r.status === 409) { // records are off: nothing more to learn
          entry.statusEl.textContent = entry.delivery + ' (no records)';
          entry.final = true;
        } else if (r.status === 0) {
          break; // the server is away: try again on the next tick
        }
      }
    } finally {
      state.polling = false;
    }
  }

  // ---- online users, tickets ----

  async function pollUsers() {
    const r = await api('GET', '/api/users');
    if (r.status !== 200) return;
    const ul = $('users');
    ul.replaceChildren(...r.data.users.map((u) => {
      const li = el('li', state.me && u === state.me.id ? 'chip me' : 'chip', u);
      li.tabIndex = 0;
      li.title = 'send to ' + u;
      li.onclick = () => {
        $('target-kind').value = 'user';
        $('target').value = u;
        $('content').focus();
      };
      return li;
    }));
    $('online-count').textContent = `(${r.data.count})`;
  }

  async function ticket(action) {
    const id = $('ticket-id').value.trim();
    if (!id) {
      showError('Enter a ticket id.');
      return;
    }
    const path = '/api/tickets/' + encodeURIComponent(id);
    let r;
    if (action === 'show') {
      r = await api('GET', path);
    } else {
      if (!state.me) {
        showError('Sign in first: you join and leave as the signed-in user.');
        return;
      }
      r = await api('POST', `${path}/${action}`, { user_id: state.me.id });
    }
    if (r.status !== 200) {
      $('ticket-members').textContent = '';
      showError(`Ticket ${id}: ${errorOf(r)}`);
      return;
    }
    $('ticket-members').textContent = r.data.count
      ? `${id}: ${r.data.members.join(', ')}` : `${id}: no members`;
  }

  // ---- stats ----

  const STAT_FIELDS = [
    ['connections', 'connections'], ['ws_connections', 'WebSocket'], ['sse_connections', 'SSE'],
    ['users', 'users'], ['tickets', 'tickets'], ['messages_accepted', 'accepted'],
    ['messages_delivered', 'delivered'], ['messages_offline', 'offline'], ['messages_received', 'received'],
    ['messages_refused', 'refused'], ['resends', 'resends'], ['offline_stored', 'in offline store'],
    ['slow_consumer_closes', 'slow consumers'], ['invalid_frames', 'invalid frames'],
  ];

  async function pollStats() {
    const r = await api('GET', '/api/stats');
    if (r.status !== 200) return;
    const s = r.data;
    $('node-id').textContent = s.node_id;
    $('uptime').textContent = `up ${duration(s.uptime_seconds)}`;
    const items = [];
    for (const [key, label] of STAT_FIELDS) items.push(el('dt', '', label), el('dd', '', String(s[key])));
    if (s.records) {
      items.push(el('dt', '', 'records'), el('dd', '', String(s.records.total)));
      items.push(el('dt', '', 'success rate'), el('dd', '', (100 * s.records.success_rate).toFixed(1) + ' %'));
    }
    $('stats').replaceChildren(...items);
  }

  function duration(sec) {
    sec = Math.floor(sec);
    if (sec < 60) return sec + ' s';
    if (sec < 3600) return Math.floor(sec / 60) + ' min ' + (sec % 60) + ' s';
    return Math.floor(sec / 3600) + ' h ' + Math.floor((sec % 3600) / 60) + ' min';
  }

  // ---- records ----

  async function refreshRecords() {
    const q = new URLSearchParams({ limit: '50' });
    const filter = $('rec-filter').value;
    if (filter === 'retryable') q.set('retryable', 'true');
    else if (filter) q.set('status', filter);
    const tag = $('rec-tag').value.trim();
    if (tag) q.set('tag', tag);
    const r = await api('GET', '/api/records?' + q);
    if (r.status === 0) return;
    if (r.status !== 200) {
      $('rec-count').textContent = errorOf(r);
      return;
    }
    $('rec-count').textContent = `${r.data.count} of ${r.data.matched}`;
    $('records').tBodies[0].replaceChildren(...r.data.records.map(recordRow));
  }

  function recordRow(rec) {
    const tr = el('tr');
    tr.dataset.id = rec.id;
    const m = rec.message || {};
    const cells = [
      new Date(rec.created_at).toLocaleTimeString(), rec.id.slice(-10), rec.delivery,
      rec.status + (rec.reason ? ` (${rec.reason})` : ''),
      rec.user_id || (rec.ticket_id ? 'ticket ' + rec.ticket_id : 'everyone'), m.from || '',
      (m.content || '').slice(0, 60), String(rec.attempts.length), rec.tags.join(', '),
    ];
    for (const c of cells) tr.append(el('td', '', c));
    tr.children[1].title = rec.id;
    tr.children[2].className = 'delivery';
    tr.children[2].dataset.delivery = rec.delivery;
    const td = el('td');
    if (RETRYABLE.has(rec.status)) {
      const b = el('button', 'retry-btn', 'Retry');
      b.type = 'button';
      b.onclick = () => retry(rec.id);
      td.append(b);
    }
    tr.append(td);
    return tr;
  }

  async function retry(id) {
    const r = await api('POST', `/api/records/${encodeURIComponent(id)}/retry`);
    if (r.status === 202) showInfo(`Retried ${id} (attempt ${r.data.attempt}).`);
    else if (r.status === 404 && r.data.stored) showInfo(`Retried ${id}: the user is still offline, the message is stored again.`);
    else showError(`Retry of ${id} refused (${r.status || 'no answer'}): ${errorOf(r)}`);
    refreshRecords();
  }

  async function retryFailed() {
    const r = await api('POST', '/api/retry-failed?limit=10');
    if (r.status === 200) showInfo(`Retry failed: tried ${r.data.tried}, resent ${r.data.resent}.`);
    else showError(`Retry failed refused (${r.status || 'no answer'}): ${errorOf(r)}`);
    refreshRecords();
  }

  // ---- wiring ----

  function every(ms, fn) {
    fn();
    setInterval(fn, ms);
  }

  $('signin').addEventListener('submit', signIn);
  $('disconnect').addEventListener('click', signOut);
  $('composer').addEventListener('submit', send);
  $('banner-close').addEventListener('click', () => { $('banner').hidden = true; });
  $('target-kind').addEventListener('change', () => {
    const kind = $('target-kind').value;
    $('target').disabled = kind === 'broadcast';
    $('require-ack').disabled = kind === 'broadcast'; // the hub tracks acks per user
    $('target').placeholder = kind === 'ticket' ? 'ticket id' : kind === 'user' ? 'user id' : '';
  });
  for (const input of document.querySelectorAll('input[name=transport]')) {
    input.addEventListener('change', () => {
      if (!state.wanted) return;
      rememberInURL();
      drop();
      state.attempt = 0;
      connect();
    });
  }
  for (const input of document.querySelectorAll('input[name=ack]')) {
    input.addEventListener('change', () => { if (state.me) rememberInURL(); });
  }
  $('ticket-join').addEventListener('click', () => ticket('join'));
  $('ticket-leave').addEventListener('click', () => ticket('leave'));
  $('ticket-form').addEventListener('submit', (ev) => { ev.preventDefault(); ticket('show'); });
  $('rec-refresh').addEventListener('click', refreshRecords);
  $('rec-filter').addEventListener('change', refreshRecords);
  $('rec-tag').addEventListener('change', refreshRecords);
  $('retry-failed').addEventListener('click', retryFailed);

  setInterval(pollStatuses, STATUS_POLL_MS);
  every(2000, pollUsers);
  every(2000, pollStats);
  every(3000, () => { if ($('rec-auto').checked) refreshRecords(); });
  fromURL();
})();
