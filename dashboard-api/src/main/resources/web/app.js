/* Hypnostream ward dashboard: plain JS + uPlot (vendored). State per bed = the server's night, kept in step by seq. */
'use strict';
(function () {
  const STALE_MS = 60000; // 2 epochs without an event
  const STAGE_Y = { W: 4, REM: 3, N1: 2, N2: 1, N3: 0 };
  const Y_LABEL = { '-1': '?', 0: 'N3', 1: 'N2', 2: 'N1', 3: 'R', 4: 'W' };
  const $ = (id) => document.getElementById(id);
  const eegs = new Map(); // bed -> {spectra: [...], latest: traces} (bed view only)
  const emgTraces = new Map(); // bed -> latest needle-EMG envelope {recording, i, seconds, min, max} (bed view only)
  const nights = new Map(); // bed -> night JSON (same shape as GET /api/beds/:bed/night)
  const charts = new Map(); // element id -> uPlot
  let token = sessionStorage.getItem('hs-token');
  let me = null, ws = null, wsKey = null, clockOffset = 0, dirty = new Set(), retry = null, attempt = 0;

  function api(method, path, body) {
    return fetch(path, { method, headers: Object.assign({ 'Content-Type': 'application/json' },
      token ? { Authorization: 'Bearer ' + token } : {}), body: body ? JSON.stringify(body) : undefined })
      .then(async (r) => {
        if (r.status === 401 && path !== '/api/login') { signOut(); throw new Error('signed out'); }
        const j = r.status === 204 ? {} : await r.json();
        if (!r.ok) throw new Error(j.error || r.statusText);
        return j;
      });
  }

  function show(section) {
    for (const s of ['login', 'ward', 'bed']) $(s).hidden = s !== section;
    $('logout').hidden = section === 'login';
    if (section === 'login') $('escalations').hidden = true;
  }

  function signOut() {
    if (token) fetch('/api/logout', { method: 'POST', headers: { Authorization: 'Bearer ' + token } }).catch(() => {});
    token = null; me = null; sessionStorage.removeItem('hs-token');
    if (ws) { ws.onclose = null; ws.close(); }
    ws = null; wsKey = null; attempt++; // a ticket still on its way opens nothing
    $('who').textContent = ''; show('login');
  }

  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    $('login-error').textContent = '';
    api('POST', '/api/login', { user: $('login-user').value, password: $('login-password').value })
      .then((j) => { token = j.token; sessionStorage.setItem('hs-token', token); route(); })
      .catch((err) => { $('login-error').textContent = err.message; });
  });
  $('logout').addEventListener('click', signOut);
  $('back').addEventListener('click', (e) => { e.preventDefault(); location.hash = ''; });
  window.addEventListener('hashchange', route);

  function route() {
    if (!token) { show('login'); return; }
    const load = me ? Promise.resolve(me) : api('GET', '/api/me').then((j) => { me = j; return j; });
    load.then(() => {
      $('who').textContent = me.user + ' (' + me.role + ', ' + me.wards.join(', ') + ')';
      const m = location.hash.match(/^#\/bed\/([A-Za-z0-9._-]{1,64})$/);
      const w = location.hash.match(/^#\/ward\/([A-Za-z0-9._*-]{1,64})$/);
      if (m) openSocket('bed', m[1]);
      else openSocket('ward', w ? w[1] : me.wards[0]);
      escalations();
    }).catch(() => {});
  }

  function openSocket(kind, id) {
    const key = kind + '=' + id;
    show(kind);
    $('where').textContent = kind === 'ward' ? 'Ward ' + id : 'Bed ' + id;
    if (ws && wsKey === key) { renderAll(); return; }
    if (ws) { ws.onclose = null; ws.close(); }
    nights.clear(); eegs.clear(); charts.forEach((c) => c.destroy()); charts.clear(); $('tiles').innerHTML = '';
    wsKey = key; ws = null;
    $('conn').textContent = 'connecting';
    // the bearer token never goes into a URL: a one-time ticket (30 s) opens the socket
    const mine = ++attempt;
    api('POST', '/api/ws-ticket').then((t) => {
      if (mine === attempt && wsKey === key) connect(kind, id, key, t.ticket);
    }).catch(() => {
      if (mine !== attempt || wsKey !== key) return;
      wsKey = null; clearTimeout(retry);
      retry = setTimeout(() => { if (token && !wsKey) openSocket(kind, id); }, 2000);
    });
  }

  function connect(kind, id, key, ticket) {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    ws = new WebSocket(proto + '//' + location.host + '/ws?' + kind + '=' + encodeURIComponent(id)
      + '&ticket=' + encodeURIComponent(ticket));
    ws.onopen = () => { $('conn').textContent = 'live'; $('conn').className = 'live'; };
    ws.onmessage = (ev) => onMessage(JSON.parse(ev.data));
    ws.onclose = (ev) => {
      $('conn').textContent = 'reconnecting (' + ev.code + ')'; $('conn').className = 'down';
      if (ev.code === 1006 && !nights.size && kind === 'bed') { $('bed-title').textContent = 'Bed not available'; }
      ws = null; const k = wsKey; wsKey = null;
      clearTimeout(retry);
      // a restart without dashboard.session.dir forgets the token: /api/me answers 401 and api() shows the sign-in form
      const again = () => {
        if (!token || wsKey) return;
        const [a, b] = k.split('=');
        api('GET', '/api/me').then(() => openSocket(a, b)).catch(() => { if (token) retry = setTimeout(again, 2000); });
      };
      retry = setTimeout(again, 1000);
    };
  }

  function onMessage(m) {
    if (m.serverTime) clockOffset = Date.parse(m.serverTime) - Date.now();
    if (m.type === 'snapshot') {
      for (const n of m.beds) { nights.set(n.bed, n); dirty.add(n.bed); }
    } else if (m.type === 'eeg') {
      const e = eegs.get(m.bed) || { spectra: [], latest: null };
      for (const sp of m.spectra) { if (!e.spectra.some((x) => x.i === sp.i)) e.spectra.push(sp); }
      e.spectra.sort((a, b) => a.i - b.i);
      while (e.spectra.length > 60) e.spectra.shift();
      if (m.latest) e.latest = m.latest;
      eegs.set(m.bed, e);
      dirty.add(m.bed);
    } else if (m.type === 'emg') {
      emgTraces.set(m.bed, m);
      dirty.add(m.bed);
    } else if (m.type === 'update') {
      const n = nights.get(m.bed);
      if (!n || m.seq !== n.seq + 1) { if (ws) ws.close(4000, 'resync'); return; } // gap: resume with a snapshot
      applyUpdate(n, m);
      dirty.add(m.bed);
    }
    requestAnimationFrame(flush);
  }

  function upsert(list, item, key) {
    const i = list.findIndex((x) => x[key] === item[key]);
    if (i >= 0) list[i] = item; else list.push(item);
  }

  function applyUpdate(n, m) {
    n.seq = m.seq;
    if (m.statistics) n.statistics = m.statistics;
    const d = m.data;
    if (m.kind === 'stage' || m.kind === 'leg' || m.kind === 'plm') n.lastEventAt = new Date(Date.now() + clockOffset).toISOString();
    if (m.kind === 'stage') { upsert(n.stages, d, 'i'); n.stages.sort((a, b) => a.i - b.i); }
    else if (m.kind === 'leg') upsert(n.legs, d, 'id');
    else if (m.kind === 'alert') upsert(n.alerts, d, 'alertId');
    else if (m.kind === 'action') n.actions.push(d);
    else if (m.kind === 'notice') (n.notices = n.notices || []).push(d);
    else if (m.kind === 'neuro') { n.neuro = d; applyEmg(n, d); }
    else if (m.kind === 'study') n.study = d;
    else if (m.kind === 'bedside') upsert(n.bedside, d, 'id');
    else if (m.kind === 'revised') { if (!n.study || d.studyId === n.study.studyId) n.revised = d; if (window.hsReview) window.hsReview.changed(n.bed); }
    else if (m.kind === 'review' && window.hsReview) window.hsReview.changed(n.bed);
    else if (m.kind === 'plm') {
      if (!n.plm || !d.at || !n.plm.at || d.at >= n.plm.at) n.plm = d;
      if (d.seriesId && d.seriesState) {
        const old = n.plmSeries.find((s) => s.seriesId === d.seriesId);
        upsert(n.plmSeries, { seriesId: d.seriesId, state: d.seriesState, length: d.seriesLength,
          firstOnset: old && old.firstOnset ? old.firstOnset : d.lmOnset,
          lastOffset: d.lmOffset || (old && old.lastOffset) }, 'seriesId');
      }
    }
  }

  // needle-EMG screening of the bed's current recording (same rules as the server's BedNight)
  function applyEmg(n, d) {
    const e = n.emg || (n.emg = { verdict: null, windows: [] });
    const same = !e.verdict || e.verdict.recordingId === d.recordingId;
    if (d.kind === 'WINDOW') {
      if (!same || (e.verdict && e.verdict.isFinal && d.windowIndex === 0)) { e.windows = []; e.verdict = null; }
      upsert(e.windows, { i: d.windowIndex, recording: d.recordingId, classes: d.classes, p: d.probabilities,
        verdict: d.verdict, confidence: d.confidence }, 'i');
      e.windows.sort((a, b) => a.i - b.i);
      while (e.windows.length > 600) e.windows.shift();
    } else {
      if (!same) e.windows = [];
      e.verdict = d;
    }
  }

  function flush() {
    if (!dirty.size) return;
    const beds = [...dirty]; dirty.clear();
    for (const b of beds) render(b);
  }
  function renderAll() { for (const b of nights.keys()) render(b); }
  function render(bed) {
    const n = nights.get(bed);
    if (!n) return;
    if (wsKey && wsKey.startsWith('ward=')) renderTile(n); else renderBed(n);
  }

  const current = (n) => (n.stages.length ? n.stages[n.stages.length - 1].stage : null);
  const isStale = (n) => !n.lastEventAt || Date.now() + clockOffset - Date.parse(n.lastEventAt) > STALE_MS;
  function stageBadge(el, st) {
    el.className = 'stage stage-' + (st || 'NONE');
    el.textContent = st === 'UNSCORED' ? 'unscored' : st === 'REM' ? 'REM' : st || 'no data';
  }
  function acked(n, a) {
    return n.actions.filter((x) => x.alertId === a.alertId && x.action === 'ACKNOWLEDGE').pop();
  }
  // IEC 60601-1-8 AUDIO PAUSED: the wire keeps the old action name SILENCE (ADR 0013)
  function silencedUntil(n, a) {
    const s = n.actions.filter((x) => x.alertId === a.alertId && x.action === 'SILENCE').pop();
    return s ? Date.parse(s.at) + s.silenceSeconds * 1000 : 0;
  }
  // reminders and escalation (alarm-notices.v1), alarm off per condition (code) of the bed
  function noticesOf(n, a) { return (n.notices || []).filter((x) => x.alertId === a.alertId); }
  function alarmOff(n, a) {
    const same = new Set(n.alerts.filter((y) => y.code === a.code).map((y) => y.alertId));
    const last = n.actions.filter((x) => same.has(x.alertId) && (x.action === 'ALARM_OFF' || x.action === 'ALARM_ON')).pop();
    return last && last.action === 'ALARM_OFF' ? last : null;
  }
  const mayAlarmOff = () => me && me.role !== 'nurse';
  function alarmPost(n, a, what, body) {
    return api('POST', '/api/beds/' + n.bed + '/alerts/' + encodeURIComponent(a.alertId) + '/' + what, body).catch((err) => alert(err.message));
  }
  function button(text, cls, onclick) {
    const b = document.createElement('button'); b.textContent = text; b.className = cls;
    b.onclick = (e) => { e.stopPropagation(); onclick(); };
    return b;
  }
  function activeAlarms(n) { return n.alerts.filter((a) => a.state !== 'CLEARED'); }
  function alarmChip(n, a, withButtons) {
    const el = document.createElement('span');
    const ack = acked(n, a) || (a.state === 'ACKNOWLEDGED' ? { user: a.actor } : null);
    const silenced = silencedUntil(n, a) > Date.now() + clockOffset || a.state === 'SILENCED';
    const off = alarmOff(n, a);
    const ns = noticesOf(n, a);
    const reminders = ns.filter((x) => x.kind === 'REMINDER').length;
    const esc = ns.find((x) => x.kind === 'ESCALATED');
    el.className = 'alarm ' + a.priority + (off ? ' off' : ack || silenced ? ' acked' : ' flash') + (esc && !ack && !off ? ' escalated' : '');
    el.dataset.alert = a.alertId;
    el.textContent = a.code + (ack ? ' (ack ' + ack.user + ')' : '') + (silenced && !ack ? ' (audio paused)' : '')
      + (off ? ' (alarm off by ' + off.user + ')' : '')
      + (reminders && !ack ? ' (reminded ' + reminders + 'x)' : '')
      + (esc ? ' (escalated to ' + (esc.targetRole || '') + (esc.targetWard ? ', ward ' + esc.targetWard : '') + ')' : '');
    el.title = a.message || a.code;
    if (withButtons) {
      if (!ack && !off) {
        el.append(button('Acknowledge', 'ack', () => alarmPost(n, a, 'acknowledge', {})),
          button('Audio pause 2 min', 'silence', () => alarmPost(n, a, 'audio-pause', { seconds: 120 })));
      }
      if (mayAlarmOff() && !off) {
        el.append(button('Alarm off', 'alarm-off', () => {
          const why = prompt('Alarm off for ' + a.code + ' on this bed: reason (audited)');
          if (why) alarmPost(n, a, 'alarm-off', { comment: why });
        }));
      } else if (mayAlarmOff()) {
        el.append(button('Alarm on', 'alarm-on', () => alarmPost(n, a, 'alarm-on', {})));
      }
    }
    return el;
  }

  function hypnoData(n) {
    const xs = [], ys = [], un = [];
    for (const s of n.stages) {
      xs.push(Date.parse(s.start) / 1000);
      ys.push(s.stage in STAGE_Y ? STAGE_Y[s.stage] : null);
      un.push(s.stage === 'UNSCORED' ? -1 : null);
    }
    return [xs, ys, un];
  }
  function hypnoOpts(width, height, small) {
    return { width, height, legend: { show: false }, cursor: { show: !small },
      scales: { x: { time: true }, y: { range: [-1.5, 4.5] } },
      axes: [{ stroke: '#aab4c3', grid: { stroke: '#2c3748' }, size: small ? 24 : 40 },
        { stroke: '#aab4c3', grid: { stroke: '#2c3748' }, splits: () => [-1, 0, 1, 2, 3, 4], values: (u, v) => v.map((x) => Y_LABEL[x]), size: 34 }],
      series: [{}, { label: 'stage', stroke: '#8ecae6', width: 2, paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } },
        { label: 'unscored', stroke: '#bbbbbb', width: 0, paths: () => null, points: { show: true, size: 5, fill: '#bbbbbb' } }] };
  }
  function chart(id, el, opts, data) {
    let c = charts.get(id);
    if (c && c.root.parentNode !== el) { c.destroy(); c = null; }
    if (!c) { c = new uPlot(opts, data, el); charts.set(id, c); } else c.setData(data);
    return c;
  }

  function renderTile(n) {
    let t = document.querySelector('.tile[data-bed="' + n.bed + '"]');
    if (!t) {
      t = document.createElement('div'); t.className = 'tile'; t.dataset.bed = n.bed;
      t.innerHTML = '<div class="head"><span class="name"></span><span class="stale-tag" hidden>STALE</span><span class="stage"></span></div>'
        + '<div class="study"><span class="study-state"></span><span class="since"></span><span class="tst"></span><span class="se"></span>'
        + '<button class="tile-lights" hidden></button><button class="tile-note" hidden>+ note</button></div>'
        + '<div class="hypno"></div><div class="meta"><span class="lm"></span><span class="plms"></span><span class="quality"></span><span class="epochs"></span></div><div class="alarms"></div>';
      t.onclick = () => { location.hash = '#/bed/' + n.bed; };
      t.querySelector('.tile-lights').onclick = (e) => {
        e.stopPropagation();
        const cur = nights.get(n.bed);
        studyPost(cur, cur.study && cur.study.state === 'LIGHTS_OFF' ? 'study/lights-on' : 'study/lights-off', {}).catch((err) => alert(err.message));
      };
      t.querySelector('.tile-note').onclick = (e) => {
        e.stopPropagation();
        const text = prompt('Note for ' + (n.displayName || n.bed));
        if (text) studyPost(nights.get(n.bed), 'events', { type: 'NOTE', text }).catch((err) => alert(err.message));
      };
      $('tiles').append(t);
    }
    renderTileStudy(t, n);
    $('ward-empty').hidden = true;
    t.querySelector('.name').textContent = n.displayName || n.bed;
    stageBadge(t.querySelector('.stage'), current(n));
    const stale = isStale(n);
    t.classList.toggle('stale', stale);
    t.querySelector('.stale-tag').hidden = !stale;
    t.querySelector('.lm').textContent = 'LM ' + (n.plm ? n.plm.lmCount : n.legs.length);
    t.querySelector('.plms').textContent = 'PLMS index ' + (n.plm ? n.plm.plmsIndex.toFixed(1) + '/h' : '-');
    const last = n.stages[n.stages.length - 1];
    t.querySelector('.quality').textContent = 'signal ' + (!last ? '-' : last.q.length ? last.q.join(',') : 'OK');
    t.querySelector('.epochs').textContent = n.stages.length + ' epochs';
    t.querySelector('.epochs').dataset.count = n.stages.length;
    const al = t.querySelector('.alarms'); al.innerHTML = '';
    activeAlarms(n).forEach((a) => al.append(alarmChip(n, a, false)));
    chart('tile-' + n.bed, t.querySelector('.hypno'), hypnoOpts(320, 110, true), hypnoData(n));
  }

  const may = (what) => me && ({ nurse: ['lights', 'event'], physician: ['event'], technologist: ['lights', 'event', 'admit', 'amend'],
    admin: ['lights', 'event', 'admit', 'amend'] })[me.role].includes(what);
  function studyPost(n, path, body) {
    return api('POST', '/api/beds/' + n.bed + '/' + path, body);
  }
  function fmtMin(m) {
    if (m === null || m === undefined) return '-';
    const h = Math.floor(m / 60), r = Math.round(m - 60 * h);
    return h ? h + ' h ' + r + ' min' : m.toFixed(1) + ' min';
  }
  const pct = (x) => (x === null || x === undefined ? '-' : (100 * x).toFixed(1) + ' %');
  const STATE_TEXT = { NONE: 'no study', ADMITTED: 'admitted', LIGHTS_OFF: 'lights off', LIGHTS_ON: 'lights on', ENDED: 'ended' };
  function studyState(n) { return n.study ? n.study.state : 'NONE'; }
  function renderTileStudy(t, n) {
    const st = studyState(n), s = n.statistics || {};
    const el = t.querySelector('.study-state'); el.textContent = STATE_TEXT[st]; el.className = 'study-state ' + st;
    t.querySelector('.study').dataset.state = st;
    const off = n.study && n.study.lightsOff;
    t.querySelector('.since').textContent = off && st === 'LIGHTS_OFF'
      ? fmtMin(Math.max(0, (Date.now() + clockOffset - Date.parse(off)) / 60000)) + ' since lights off' : '';
    t.querySelector('.tst').textContent = 'TST ' + fmtMin(s.tst_min);
    t.querySelector('.se').textContent = 'SE ' + pct(s.sleep_efficiency) + (s.lights_off_assumed ? ' (lights-off assumed)' : '');
    const lb = t.querySelector('.tile-lights');
    lb.hidden = !may('lights') || !(st === 'ADMITTED' || st === 'LIGHTS_OFF');
    lb.textContent = st === 'LIGHTS_OFF' ? 'Lights on' : 'Lights off';
    t.querySelector('.tile-note').hidden = !may('event') || st === 'NONE' || st === 'ENDED';
  }

  const STAT_ROWS = [['Study state', (s) => STATE_TEXT[s.study_state]], ['Lights off', (s) => (s.lights_off || '-').replace('T', ' ').slice(0, 19) + (s.lights_off_assumed ? ' (not marked: first epoch assumed)' : '')],
    ['Lights on', (s) => (s.lights_on || 'not yet').replace('T', ' ').slice(0, 19)], ['Time in bed (TRT)', (s) => fmtMin(s.trt_min)],
    ['Total sleep time (TST)', (s) => fmtMin(s.tst_min)], ['Sleep period time (SPT)', (s) => fmtMin(s.spt_min)],
    ['Sleep efficiency', (s) => pct(s.sleep_efficiency)], ['Sleep onset latency', (s) => fmtMin(s.sol_min)],
    ['Latency to persistent sleep', (s) => fmtMin(s.persistent_sleep_latency_min)], ['REM latency (from sleep onset)', (s) => fmtMin(s.rem_latency_min)],
    ['WASO', (s) => fmtMin(s.waso_min)],
    ['W / N1 / N2 / N3 / REM', (s) => ['W', 'N1', 'N2', 'N3', 'REM'].map((k) => fmtMin(s.stage_min[k])).join(' / ')],
    ['N1 / N2 / N3 / REM % of TST', (s) => ['N1', 'N2', 'N3', 'REM'].map((k) => (s.stage_pct_tst[k] === null ? '-' : s.stage_pct_tst[k].toFixed(1) + ' %')).join(' / ')],
    ['Awakenings / stage shifts', (s) => s.awakenings + ' / ' + s.stage_shifts], ['Unscored', (s) => s.unscored_epochs + ' epochs (' + fmtMin(s.unscored_min) + ')'],
    ['LM index (sleep, per h TST)', (s) => (s.lm_index === null ? '-' : s.lm_index.toFixed(1) + '/h') + ' (' + s.lms_count + ')'],
    ['PLMS index (per h TST)', (s) => (s.plms_index === null ? '-' : s.plms_index.toFixed(1) + '/h') + ' (' + s.plms_count + ')'],
    ['PLMW index (per h wake)', (s) => (s.plmw_index === null ? '-' : s.plmw_index.toFixed(1) + '/h') + ' (' + s.plmw_count + ')']];
  function renderStudy(n, hypno) {
    const st = studyState(n), s = n.statistics;
    $('bed-study-state').textContent = STATE_TEXT[st]; $('bed-study-state').className = 'study-state ' + st;
    $('bed-study').dataset.state = st;
    $('bed-study-info').textContent = n.study ? 'study ' + n.study.studyId + ', ' + n.study.protocol + ', ' + n.study.ruleSet + ', '
      + n.study.population.toLowerCase() + (n.study.lightsOff ? ', lights off ' + n.study.lightsOff.replace('T', ' ').slice(0, 19) : '') : '';
    $('admit-form').hidden = !may('admit') || !(st === 'NONE' || st === 'ENDED');
    $('btn-lights-off').hidden = !may('lights') || st !== 'ADMITTED';
    $('btn-lights-on').hidden = !may('lights') || st !== 'LIGHTS_OFF';
    $('btn-end').hidden = !may('admit') || !(st === 'ADMITTED' || st === 'LIGHTS_ON');
    const canEvent = may('event') && st !== 'NONE' && st !== 'ENDED';
    for (const id of ['event-type', 'event-position', 'event-text', 'btn-event']) $(id).hidden = !canEvent;
    $('event-position').hidden = !canEvent || $('event-type').value !== 'POSITION_CHANGE';
    const tb = $('bed-stats').querySelector('tbody'); tb.innerHTML = '';
    if (s) {
      $('bed-stats-note').textContent = s.lights_off_assumed ? '(lights-off not marked: from the first epoch, assumed)' : '';
      for (const [label, f] of STAT_ROWS) {
        const tr = document.createElement('tr'); tr.dataset.stat = label;
        const a = document.createElement('td'); a.textContent = label; const b = document.createElement('td'); b.textContent = f(s);
        tr.append(a, b); tb.append(tr);
      }
    }
    const eb = $('bed-events').querySelector('tbody'); eb.innerHTML = '';
    for (const e of (n.bedside || []).slice().sort((x, y) => x.at.localeCompare(y.at))) {
      const tr = document.createElement('tr'); tr.dataset.event = e.id;
      for (const v of [e.at.replace('T', ' ').slice(0, 19), e.label, e.user]) { const td = document.createElement('td'); td.textContent = v; tr.append(td); }
      eb.append(tr);
    }
    // lifecycle marks and bedside events on the hypnogram's time axis (DOM markers over the plot)
    hypno.over.querySelectorAll('.ev-mark').forEach((x) => x.remove());
    const marks = (n.bedside || []).map((e) => ({ t: e.at, cls: 'bedside', title: e.label + ' (' + e.user + ')', type: e.type, id: e.id }));
    if (n.study && n.study.lightsOff) marks.push({ t: n.study.lightsOff, cls: 'lights', title: 'Lights off', type: 'LIGHTS_OFF' });
    if (n.study && n.study.lightsOn) marks.push({ t: n.study.lightsOn, cls: 'lights', title: 'Lights on', type: 'LIGHTS_ON' });
    const width = hypno.over.clientWidth || hypno.bbox.width;
    for (const m of marks) {
      const x = hypno.valToPos(Date.parse(m.t) / 1000, 'x');
      if (!(x >= 0 && x <= width)) continue;
      const d = document.createElement('div'); d.className = 'ev-mark ' + m.cls; d.style.left = x + 'px'; d.title = m.title;
      d.dataset.type = m.type; if (m.id) d.dataset.event = m.id;
      hypno.over.append(d);
    }
  }
  function studyAction(path, body) {
    const n = nights.get(wsKey && wsKey.slice(4));
    $('bed-study-msg').textContent = '';
    if (!n) return;
    studyPost(n, path, body).catch((err) => { $('bed-study-msg').textContent = err.message; });
  }
  $('btn-lights-off').onclick = () => studyAction('study/lights-off', {});
  $('btn-lights-on').onclick = () => studyAction('study/lights-on', {});
  $('btn-end').onclick = () => studyAction('study/end', {});
  $('event-type').onchange = () => { $('event-position').hidden = $('event-type').value !== 'POSITION_CHANGE'; };
  $('btn-event').onclick = () => {
    const type = $('event-type').value, text = $('event-text').value.trim();
    const body = { type };
    if (type === 'POSITION_CHANGE') body.position = $('event-position').value;
    if (text) body.text = text;
    $('event-text').value = '';
    studyAction('events', body);
  };
  $('admit-form').addEventListener('submit', (e) => {
    e.preventDefault();
    studyAction('study/admit', { patientRef: $('admit-ref').value.trim(), protocol: $('admit-protocol').value,
      ruleSet: $('admit-rules').value, population: $('admit-population').value });
  });

  function renderBed(n) {
    $('bed-title').textContent = (n.displayName || n.bed) + (n.ward ? ' - ' + n.ward : '');
    stageBadge($('bed-stage'), current(n));
    $('bed-stale').hidden = !isStale(n);
    const al = $('bed-alarms'); al.innerHTML = '';
    activeAlarms(n).forEach((a) => al.append(alarmChip(n, a, true)));
    const w = Math.max(600, $('bed').clientWidth - 20);
    renderStudy(n, chart('bed-hypno', $('bed-hypno'), hypnoOpts(w, 180, false), hypnoData(n)));
    // the morning re-score beside the live hypnogram: NON-causal, published after lights-on, never the live stage
    const rv = n.revised;
    $('bed-revised-block').hidden = !rv;
    if (rv) {
      $('bed-revised-label').textContent = rv.label;
      $('bed-revised-info').textContent = rv.modelId + ' ' + (rv.modelSha256 || '').slice(0, 12) + ', ' + rv.stages.length
        + ' epochs, ' + rv.agreeing + ' of ' + rv.compared + ' as live, produced ' + rv.producedAt.replace('T', ' ').slice(0, 19);
      chart('bed-revised', $('bed-revised'), hypnoOpts(w, 180, false), hypnoData(rv));
    }
    if (window.hsReview) window.hsReview.show(n, me, token);
    // hypnodensity: cumulative probabilities W, N1, N2, N3, REM as filled bands
    const xs = [], cum = [[], [], [], [], []];
    for (const s of n.stages) {
      xs.push(Date.parse(s.start) / 1000);
      let acc = 0;
      for (let k = 0; k < 5; k++) { acc += s.p.length ? s.p[k] : NaN; cum[k].push(s.p.length ? acc : null); }
    }
    const colours = ['#ffd166', '#8ecae6', '#219ebc', '#3a5a9b', '#ef476f'];
    const names = ['W', 'N1', 'N2', 'N3', 'REM'];
    chart('bed-density', $('bed-density'), { width: w, height: 160, scales: { x: { time: true }, y: { range: [0, 1] } },
      axes: [{ stroke: '#aab4c3', grid: { stroke: '#2c3748' } }, { stroke: '#aab4c3', grid: { stroke: '#2c3748' } }],
      series: [{}].concat(names.map((nm, k) => ({ label: nm, stroke: colours[k], fill: colours[k], paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } }))),
      bands: [1, 2, 3, 4].map((k) => ({ series: [k + 1, k], fill: colours[k] })) }, [xs].concat(cum));
    // leg movements per leg + PLM series
    const pts = [];
    for (const l of n.legs) pts.push([Date.parse(l.onset) / 1000, l.side]);
    const series = n.plmSeries.filter((s) => s.firstOnset);
    for (const s of series) { pts.push([Date.parse(s.firstOnset) / 1000, 'S+']); pts.push([Date.parse(s.lastOffset || s.firstOnset) / 1000, 'S-']); }
    pts.sort((a, b) => a[0] - b[0]);
    const lx = [], left = [], right = [], bil = [], plm = [];
    let open = 0;
    for (const [x, side] of pts) {
      if (side === 'S+') open++;
      lx.push(x); left.push(side === 'LEFT' ? 1 : null); right.push(side === 'RIGHT' ? 2 : null); bil.push(side === 'BILATERAL' ? 1.5 : null);
      plm.push(open > 0 || side === 'S-' ? 3 : null);
      if (side === 'S-') open = Math.max(0, open - 1);
    }
    const dot = (c) => ({ stroke: c, width: 0, paths: () => null, points: { show: true, size: 7, fill: c } });
    chart('bed-legs', $('bed-legs'), { width: w, height: 140, scales: { x: { time: true }, y: { range: [0.5, 3.5] } },
      axes: [{ stroke: '#aab4c3', grid: { stroke: '#2c3748' } }, { stroke: '#aab4c3', splits: () => [1, 1.5, 2, 3], size: 60,
        values: (u, v) => v.map((y) => ({ 1: 'left', 1.5: 'bilat', 2: 'right', 3: 'PLM' })[y]) }],
      series: [{}, Object.assign(dot('#06d6a0'), { label: 'left leg' }), Object.assign(dot('#ffd166'), { label: 'right leg' }),
        Object.assign(dot('#8ecae6'), { label: 'bilateral' }), { label: 'PLM series', stroke: '#ef476f', width: 6, points: { show: false } }] },
      [lx, left, right, bil, plm]);
    renderEeg(n, w);
    renderEmg(n, w);
    const p = n.plm;
    $('bed-plm').textContent = p ? 'PLM scorer (study window): LM ' + p.lmCount + ' (index ' + p.lmIndex.toFixed(1) + '/h) - PLMS ' + p.plmsCount + ' (index '
      + p.plmsIndex.toFixed(1) + '/h) - PLMW index ' + p.plmwIndex.toFixed(1) + '/h - periodicity ' + p.periodicityIndex.toFixed(2)
      + ' - sleep ' + p.sleepHours.toFixed(2) + ' h - rules ' + p.ruleSet : 'LM ' + n.legs.length + ' - no PLM indices yet';
    const rows = [];
    for (const a of n.alerts) rows.push({ at: a.updatedAt || a.raisedAt, alarm: a.code, prio: a.priority, state: a.state, who: a.actor || '' });
    for (const x of n.actions) {
      const a = n.alerts.find((y) => y.alertId === x.alertId);
      rows.push({ at: x.at, alarm: a ? a.code : x.alertId, prio: a ? a.priority : '', state: x.action,
        who: x.user + (x.action === 'SILENCE' ? ' (audio paused) for ' + x.silenceSeconds + ' s' : '') + (x.comment ? ': ' + x.comment : '') });
    }
    for (const x of n.notices || []) {
      rows.push({ at: x.at, alarm: x.code, prio: x.priority, state: x.kind + ' ' + x.number
        + (x.targetRole ? ' to ' + x.targetRole : '') + (x.targetWard ? ', ward ' + x.targetWard : ''), who: x.by });
    }
    rows.sort((a, b) => String(a.at).localeCompare(String(b.at)));
    const tb = $('bed-audit').querySelector('tbody'); tb.innerHTML = '';
    for (const r of rows) {
      const tr = document.createElement('tr');
      for (const v of [String(r.at || '').replace('T', ' ').slice(0, 19), r.alarm, r.prio, r.state, r.who]) {
        const td = document.createElement('td'); td.textContent = v; tr.append(td);
      }
      tb.append(tr);
    }
  }

  const EMG_COLOURS = ['#ef476f', '#ffd166', '#06d6a0']; // ALS, myopathy, normal
  function renderEmg(n, w) {
    const e = n.emg, tr = emgTraces.get(n.bed);
    $('bed-emg').hidden = !e && !tr;
    if ($('bed-emg').hidden) return;
    const v = e && e.verdict;
    $('bed-emg-recording').textContent = v ? 'recording ' + v.recordingId : tr ? 'recording ' + tr.recording : '';
    const vp = $('bed-emg-verdict'); vp.innerHTML = '';
    if (v) {
      const head = document.createElement('span');
      head.className = v.isFinal ? 'final' : 'running';
      head.textContent = (v.isFinal ? 'Final verdict: ' : 'Running verdict: ') + v.verdict
        + (v.windowsSoFar > 0 ? ' (confidence ' + (100 * v.confidence).toFixed(1) + ' %)' : '');
      vp.append(head, document.createTextNode(' after ' + v.windowsSoFar + ' windows - mean ' + v.classes.map((c, k) =>
        c + ' ' + (100 * v.probabilities[k]).toFixed(1) + ' %').join(', ') + ' - model ' + v.provenance.modelId));
    } else {
      vp.textContent = 'No verdict yet.';
    }
    const ws = e ? e.windows : [];
    const classes = ws.length ? ws[0].classes : ['ALS', 'myopathy', 'normal'];
    const xs = ws.map((x) => x.i);
    chart('bed-emg-probs', $('bed-emg-probs'), { width: w, height: 160, scales: { x: { time: false }, y: { range: [0, 1] } },
      axes: [{ stroke: '#aab4c3', grid: { stroke: '#2c3748' }, label: 'window' }, { stroke: '#aab4c3', grid: { stroke: '#2c3748' } }],
      series: [{ label: 'window' }].concat(classes.map((c, k) => ({ label: 'P(' + c + ')', stroke: EMG_COLOURS[k % 3], width: 2,
        points: { show: true, size: 4 } }))) }, [xs].concat(classes.map((c, k) => ws.map((x) => x.p[k]))));
    if (tr) {
      const step = tr.seconds / tr.min.length, t = tr.min.map((_, b) => b * step);
      $('bed-emg-trace-info').textContent = 'segment ' + tr.i + (tr.last ? ' (closing)' : '') + ', ' + tr.seconds.toFixed(2)
        + ' s at ' + tr.rateHz + ' Hz, min/max envelope, uV';
      const box = $('bed-emg-trace'); if (box.querySelector('p')) box.innerHTML = '';
      chart('bed-emg-trace', box, { width: w, height: 160, scales: { x: { time: false } },
        axes: [{ stroke: '#aab4c3', grid: { stroke: '#2c3748' }, label: 's' }, { stroke: '#aab4c3', grid: { stroke: '#2c3748' }, size: 60 }],
        series: [{}, { label: 'max', stroke: '#8ecae6', points: { show: false } }, { label: 'min', stroke: '#8ecae6', points: { show: false } }],
        bands: [{ series: [1, 2], fill: 'rgba(142,202,230,0.35)' }] }, [t, tr.max, tr.min]);
    }
  }

  // dB -> colour (viridis-like ramp) for the spectrogram heatmap
  const RAMP = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  function colour(t) {
    t = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
    const i = Math.min(RAMP.length - 2, Math.floor(t)), f = t - i;
    return RAMP[i].map((c, k) => Math.round(c + f * (RAMP[i + 1][k] - c)));
  }
  function renderEeg(n, w) {
    const e = eegs.get(n.bed);
    if (!e || !e.spectra.length) return;
    const cols = [], times = [];
    for (const sp of e.spectra) {
      const t0 = Date.parse(sp.start) / 1000;
      sp.columns.forEach((c, j) => { cols.push(c); times.push(t0 + j * sp.step); });
    }
    const binHz = e.spectra[0].binHz, bins = cols[0].length, step = e.spectra[0].step;
    let lo = Infinity, hi = -Infinity;
    for (const c of cols) for (const v of c) if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    lo = Math.max(lo, hi - 50);
    const img = document.createElement('canvas'); img.width = cols.length; img.height = bins;
    const g = img.getContext('2d'), id = g.createImageData(cols.length, bins);
    cols.forEach((c, x) => c.forEach((v, f) => {
      const o = ((bins - 1 - f) * cols.length + x) * 4, rgb = v === null ? [40, 40, 40] : colour((v - lo) / (hi - lo || 1));
      id.data[o] = rgb[0]; id.data[o + 1] = rgb[1]; id.data[o + 2] = rgb[2]; id.data[o + 3] = 255;
    }));
    g.putImageData(id, 0, 0);
    $('bed-spec-channel').textContent = '(' + (e.latest ? e.latest.channel : '') + ', DPSS NW=2, 3 tapers, 4-s windows, '
      + Math.round(lo) + ' to ' + Math.round(hi) + ' dB re 1 uV^2/Hz)';
    const specEl = $('bed-spec'); if (specEl.querySelector('p')) specEl.innerHTML = '';
    const c = chart('bed-spec', specEl, { width: w, height: 200, legend: { show: false },
      scales: { x: { time: true }, y: { range: [0, (bins - 1) * binHz] } },
      axes: [{ stroke: '#aab4c3', grid: { show: false } }, { stroke: '#aab4c3', grid: { show: false }, label: 'Hz', size: 50 }],
      series: [{}, { stroke: 'transparent', points: { show: false } }],
      hooks: { draw: [(u) => {
        const x0 = u.valToPos(u.data[0][0], 'x', true), x1 = u.valToPos(u.data[0][u.data[0].length - 1] + step, 'x', true);
        if (!u._hsImg) return;
        u.ctx.imageSmoothingEnabled = false;
        u.ctx.drawImage(u._hsImg, x0, u.bbox.top, x1 - x0, u.bbox.height);
      }] } }, [[times[0], times[times.length - 1] + step], [null, null]]);
    c._hsImg = img; c.redraw(false, false);
    if (!e.latest) return;
    $('bed-traces-info').textContent = 'epoch ' + e.latest.i + ' (' + e.latest.start.replace('T', ' ').slice(0, 19) + ' UTC), uV'
      + (e.latest.q.length ? ', quality: ' + e.latest.q.join(',') : '');
    const tr = $('bed-traces');
    e.latest.traces.forEach((t, k) => {
      let el = tr.children[k];
      if (!el) { el = document.createElement('div'); tr.append(el); }
      const t0 = Date.parse(e.latest.start) / 1000, xs = t.uV.map((_, i) => t0 + i / t.rateHz);
      chart('trace-' + k, el, { width: w, height: 110, legend: { show: true }, scales: { x: { time: true } },
        axes: [{ stroke: '#aab4c3', grid: { stroke: '#2c3748' } }, { stroke: '#aab4c3', grid: { stroke: '#2c3748' }, size: 50 }],
        series: [{}, { label: t.label + ' (uV)', stroke: ['#8ecae6', '#ffd166', '#06d6a0', '#ef476f'][k % 4], width: 1, points: { show: false } }] },
        [xs, t.uV]);
    });
  }

  setInterval(() => { if (wsKey) renderAll(); }, 5000); // staleness and silence expiry move with time
  // escalated alarms routed to this user (role / ward, ADR 0013), on any page
  function escalations() {
    if (!token || !me) return;
    api('GET', '/api/escalations').then((j) => {
      const box = $('escalations'), ul = box.querySelector('ul'); ul.innerHTML = '';
      for (const e of j.escalations) {
        const li = document.createElement('li');
        const a = document.createElement('a'); a.href = '#/bed/' + e.bed;
        a.textContent = e.bed + ' (' + (e.ward || '?') + '): ' + e.code + ' ' + e.priority + ', escalated to '
          + (e.alarm.escalatedTo || '') + ' at ' + String(e.alarm.escalatedAt).replace('T', ' ').slice(0, 19);
        li.append(a); ul.append(li);
      }
      box.hidden = j.escalations.length === 0;
    }).catch(() => {});
  }
  setInterval(escalations, 5000);
  route();
})();
