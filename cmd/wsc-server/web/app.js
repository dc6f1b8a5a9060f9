// go-wsc console: one user's connection (WebSocket or SSE), a chat-like log,
// and views of the hub through the HTTP API. The connection is the
// @go-wsc/client package (client/js), bundled into wsc-client.js: it
// reconnects with full jitter, acks, de-duplicates and resumes. Everything the
// server sends is put on the page as text, never as HTML.
import { WscClient } from './wsc-client.js';

{
  const $ = (id) => document.getElementById(id);

  // Deliveries after which a sent message's status no longer changes.
  const FINAL = new Set(['acknowledged', 'failed', 'expired']);
  const RETRYABLE = new Set(['failed', 'ack_timeout', 'user_offline']);
  const STATUS_POLL_MS = 700;
  const OFFLINE_POLL_MS = 3000; // an offline message changes only when its user connects
  const STATUS_POLL_FOR_MS = 15 * 60 * 1000;

  const state = {
    me: null, // {id, type, tickets}
    wanted: false, // the user asked to be connected
    client: null, // the WscClient of the signed-in user
    why: '', // the last connection error, shown while reconnecting
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

  // The API key, for servers started with -api-key: asked for when the API
  // answers 401 (none) or 403 (wrong), kept in localStorage, so every tab of
  // this origin has it.
  const KEY_STORE = 'wsc.apiKey';
  let keyAsked = false;
  function askForKey(why) {
    $('api-key-form').hidden = false;
    if (keyAsked) return; // once, not on every poll
    keyAsked = true;
    showError(why);
    $('api-key').focus();
  }
  function saveKey(ev) {
    ev.preventDefault();
    const key = $('api-key').value.trim();
    if (!key) return;
    localStorage.setItem(KEY_STORE, key);
    keyAsked = false;
    $('api-key-form').hidden = true;
    $('api-key').value = '';
    showInfo('API key saved for this site.');
  }

  // api answers {status, data}; status 0 when the server cannot be reached.
  // A 4xx is an answer, not an exception: callers decide what it means.
  async function api(method, path, body) {
    const opts = { method, headers: {} };
    const key = localStorage.getItem(KEY_STORE);
    if (key) opts.headers['X-API-Key'] = key;
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
    if (resp.status === 401 && path.startsWith('/api/')) askForKey('This server requires an API key: enter it under Sign in.');
    else if (resp.status === 403 && /API key/.test(data.error || '')) {
      localStorage.removeItem(KEY_STORE);
      askForKey('The server refused the API key: enter the right one under Sign in.');
    }
    return { status: resp.status, data: data || {} };
  }
  const errorOf = (r) => r.data.error || r.data.content || ('HTTP ' + r.status);

  // ---- connection ----

  const over = (kind) => ({ ws: 'WebSocket', sse: 'SSE', auto: 'WebSocket or SSE' })[kind] || 'WebSocket';

  // connect makes the signed-in user's client; the package reconnects it by
  // itself until it is closed or the server says not to (a final close code).
  function connect() {
    // Resume after the last message this tab saw, also across a reload.
    const resumeAfter = (state.client && state.client.lastEventId) || sessionStorage.getItem(resumeKey()) || '';
    drop();
    if (!state.wanted) return;
    const kind = transport();
    // A token carries the identity (its sub, type and tickets claims); the
    // user id, type and tickets of the form are then for display only.
    const who = state.me.token
      ? { token: state.me.token }
      : { userId: state.me.id, userType: state.me.type, tickets: state.me.tickets };
    const c = new WscClient('/ws', {
      ...who, // no connId: the client's own, so a reconnect replaces its own stale connection and no other page's
      transport: kind,
      autoAck: ackMode() === 'auto',
      lastEventId: resumeAfter,
    });
    state.client = c;
    state.why = '';
    c.on('state', (s) => {
      if (c !== state.client) return;
      if (s === 'connecting') setConn('wait', `connecting over ${over(kind)}…`);
      else if (s === 'open') setConn('on', `connected as ${state.me.id} (${state.me.type}) over ${over(c.connectedOver)}`);
      else if (s === 'reconnecting') setConn('wait', `reconnecting${state.why ? ' (' + state.why + ')' : ''}…`);
      else if (state.wanted) { // closed by the server for good
        state.wanted = false;
        buttons();
        setConn('off', `closed${state.why ? ' (' + state.why + ')' : ''}`);
      }
    });
    c.on('error', (e) => {
      if (c !== state.client) return;
      const text = e.message.replace(/^wsc: /, '');
      switch (e.kind) {
        case 'server': showError(`Server error ${e.code}: ${text}`); break;
        case 'send': showError(`SSE send refused (${e.status}): ${text}`); break;
        case 'handler': case 'protocol': showError(text); break;
        default: // close, refused, transport
          state.why = text;
          if (e.final) showError(`${text[0].toUpperCase()}${text.slice(1)}.`);
      }
    });
    c.on('message', onMessage);
    c.connect().catch(() => { /* a final refusal: the error handler showed it */ });
  }

  function signIn(ev) {
    ev.preventDefault();
    const token = $('token').value.trim();
    const id = token ? subjectOf(token) : $('user-id').value.trim();
    if (!id) {
      showError(token ? 'The token has no subject (sub): it is not a user token.' : 'Enter a user id (or a token) to sign in.');
      return;
    }
    if (token) $('user-id').value = id;
    const tickets = $('tickets').value.split(',').map((t) => t.trim()).filter(Boolean);
    drop();
    state.me = { id, type: $('user-type').value, tickets, token };
    state.wanted = true;
    $('me').textContent = `as ${id}`;
    rememberInURL();
    buttons();
    connect();
  }

  function signOut() {
    state.wanted = false;
    drop();
    setConn('off', 'signed out');
    buttons();
  }

  // drop closes the client without reconnecting.
  function drop() {
    const c = state.client;
    state.client = null;
    if (c) c.close();
  }

  function buttons() {
    $('connect').textContent = state.wanted ? 'Reconnect' : 'Connect';
    $('disconnect').disabled = !state.wanted;
  }

  const transport = () => document.querySelector('input[name=transport]:checked').value;
  const ackMode = () => document.querySelector('input[name=ack]:checked').value;

  // subjectOf reads a JWT's sub claim (for display and as the sender of API
  // sends; the server checks the token itself).
  function subjectOf(token) {
    try {
      const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const sub = JSON.parse(atob(payload)).sub;
      return typeof sub === 'string' ? sub : '';
    } catch (_) {
      return '';
    }
  }

  // rememberInURL puts the identity in the address, so that a reload (or a
  // bookmark) signs in again. A token stays out of it (addresses end up in
  // history and logs): it is kept for this tab in sessionStorage.
  function rememberInURL() {
    const p = new URLSearchParams({ user_id: state.me.id, user_type: state.me.type, transport: transport(), ack: ackMode() });
    if (state.me.token) {
      sessionStorage.setItem('wsc.token', state.me.token);
      p.set('auth', 'token');
    }
    if (state.me.tickets.length) p.set('tickets', state.me.tickets.join(','));
    p.set('connect', '1');
    history.replaceState(null, '', '?' + p);
  }

  function fromURL() {
    const p = new URLSearchParams(location.search);
    if (p.get('user_id')) $('user-id').value = p.get('user_id');
    if (p.get('user_type')) $('user-type').value = p.get('user_type');
    if (p.get('tickets')) $('tickets').value = p.get('tickets');
    if (p.get('auth') === 'token') $('token').value = sessionStorage.getItem('wsc.token') || '';
    for (const name of ['transport', 'ack']) {
      const input = document.querySelector(`input[name=${name}][value="${CSS.escape(p.get(name) || '')}"]`);
      if (input) input.checked = true;
    }
    if (p.get('connect') === '1' && p.get('user_id')) $('connect').click();
  }

  // ---- incoming messages ----

  // onMessage gets each message once (the package drops redelivered ids, and
  // acks them again when the first ack was lost); in auto mode it acks once
  // this handler ran.
  const resumeKey = () => 'wsc.resume.' + (state.me ? state.me.id : '');

  function onMessage(f) {
    if (f.type !== 'welcome' && f.id) sessionStorage.setItem(resumeKey(), f.id);
    if (f.type === 'welcome') {
      addNote(f.content || 'welcome');
      return;
    }
    if (state.seen.has(f.id)) return; // shown already (before a transport switch)
    const entry = addIncoming(f);
    state.seen.set(f.id, entry);
    if (!f.require_ack) return;
    if (ackMode() === 'auto') entry.ackEl.textContent = 'acked';
    else entry.el.classList.add('needs-ack');
  }

  function ack(entry, status) {
    if (!state.client) {
      showError('Not connected: the ACK was not sent.');
      return;
    }
    // Sent now, or, when the connection is down, when the hub delivers the
    // message again.
    state.client.ack(entry.id, status === 'confirmed' ? 'confirmed' : 'rejected', 'rejected in the console');
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
  $('api-key-form').addEventListener('submit', saveKey);
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
      connect();
    });
  }
  for (const input of document.querySelectorAll('input[name=ack]')) {
    input.addEventListener('change', () => {
      if (state.client) state.client.autoAck = ackMode() === 'auto';
      if (state.me) rememberInURL();
    });
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
}
