/* Morning review panel of the bed view: the reviewed night beside the model's, re-staging, sort-by-doubt, sign-off,
   the report and the FHIR bundle. Reads GET /api/beds/:bed/review; writes POST /api/beds/:bed/review/... */
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  let bed = null, user = null, token = null, shown = null, doubt = null, loading = false;
  const may = (what) => user && ({ technologist: ['review'], admin: ['review'], physician: ['sign'] })[user.role]?.includes(what);

  function call(method, path, body) {
    return fetch('/api/beds/' + bed + '/' + path, { method, headers: Object.assign({ 'Content-Type': 'application/json',
      Authorization: 'Bearer ' + token }), body: body ? JSON.stringify(body) : undefined }).then(async (r) => {
      const ct = r.headers.get('Content-Type') || '';
      if (!ct.startsWith('application/json')) { if (!r.ok) throw new Error(r.statusText); return r.blob(); }
      const j = await r.json(); if (!r.ok) throw new Error(j.error || r.statusText); return j;
    });
  }
  let again = false;
  function load() {
    if (!bed) return;
    if (loading) { again = true; return; } // one GET at a time; a change meanwhile loads once more after it
    loading = true;
    call('GET', 'review').then(render).catch((e) => { $('review-msg').textContent = e.message; })
      .finally(() => { loading = false; if (again) { again = false; load(); } });
  }
  function cell(tr, v) { const td = document.createElement('td'); td.textContent = v === null || v === undefined ? '' : v; tr.append(td); }
  function render(r) {
    shown = r;
    $('review-status').textContent = r.status; $('review-status').dataset.status = r.status;
    const s = r.reviewed;
    $('review-summary').textContent = 'reviewed: TST ' + s.tst_min + ' min, efficiency ' + s.sleep_efficiency + ', PLMS index '
      + s.plms_index + '/h, ' + r.corrections.length + ' correction(s)' + (r.signature ? ', signed by ' + r.signature.user : '')
      + (r.revised ? '; ' + r.revised.label + ' (' + r.revised.modelId + '): ' + r.revised.differing + ' epoch(s) differ from live, listed below' : '');
    $('review-starting-point').textContent = 'The reviewed stages start from the ' + (r.startingPoint || 'live (causal)')
      + ' hypnogram' + (r.revised && r.startingPoint === r.revised.label ? ' (' + r.revised.modelId + '); the live stages stay as scored at night' : '') + '.';
    $('review-starting-point').dataset.from = r.revised && r.startingPoint === r.revised.label ? 'revised' : 'live';
    $('review-correct').hidden = !may('review'); $('review-sign').hidden = !may('sign');
    $('review-rescore').hidden = !may('review') || !!r.signature; // a signed study is not re-scored (409)
    strip(r.epochs);
    const tb = $('review-epochs').querySelector('tbody'); tb.innerHTML = '';
    for (const e of r.epochs) {
      const revisedDiffers = e.revised !== undefined && e.revised !== null && e.revised !== e.model;
      const from = e.startStage || e.model; // what the review started from there (the revised stage when re-scored)
      if (from === e.reviewed && e.i !== doubt && !revisedDiffers) continue;
      const tr = document.createElement('tr'); tr.dataset.epoch = e.i;
      if (from !== e.reviewed) tr.className = 'corrected';
      if (e.i === doubt) tr.classList.add('doubt');
      if (revisedDiffers) tr.classList.add('revised-differs');
      [e.i, e.start.replace('T', ' ').slice(0, 19), e.model, e.reviewed, e.revised, e.doubt].forEach((v) => cell(tr, v)); tb.append(tr);
    }
    $('review-legs-edit').hidden = !may('review');
    const lb = $('review-legs').querySelector('tbody'); lb.innerHTML = '';
    const from = parseInt($('review-from').value, 10), to = parseInt($('review-to').value || $('review-from').value, 10);
    const e0 = r.epochs.find((e) => e.i === from), e1 = r.epochs.find((e) => e.i === to);
    if (e0 && e1) {
      const t0 = Date.parse(e0.start), t1 = Date.parse(e1.start) + 30000;
      for (const l of r.legs.filter((x) => Date.parse(x.onset) >= t0 && Date.parse(x.onset) < t1)) {
        const tr = document.createElement('tr'); tr.dataset.leg = l.id;
        [l.id + (l.added ? ' (added)' : ''), l.side, l.onset.replace('T', ' ').slice(0, 23)].forEach((v) => cell(tr, v));
        const td = document.createElement('td');
        if (may('review')) {
          const b = document.createElement('button'); b.textContent = 'Delete'; b.className = 'leg-delete';
          b.onclick = () => { const body = { id: l.id }; const why = $('review-reason').value.trim(); if (why) body.reason = why;
            act('legs/delete', body); };
          td.append(b);
        }
        tr.append(td); lb.append(tr);
      }
    }
    const cb = $('review-corrections').querySelector('tbody'); cb.innerHTML = '';
    for (const c of r.corrections) {
      const tr = document.createElement('tr');
      const what = c.type === 'RESTAGE' ? 'epochs ' + c.from + (c.to !== c.from ? '-' + c.to : '') : c.type.toLowerCase();
      const leg = (l) => l ? l.side + ' ' + l.onset.slice(11, 19) : '';
      [c.at.replace('T', ' ').slice(0, 19), c.user, what, c.type === 'RESTAGE' ? [...new Set(c.before)].join('/') : leg(c.before),
        c.type === 'RESTAGE' ? c.after : leg(c.after), c.reason].forEach((v) => cell(tr, v));
      cb.append(tr);
    }
  }
  // reviewed (top row) and model (bottom row) stage of every epoch, one column each; corrected epochs outlined
  const COLOURS = { W: '#f2c14e', N1: '#9ad0ec', N2: '#4f86c6', N3: '#1b3b6f', REM: '#e26d5a', UNSCORED: '#bbb' };
  function strip(epochs) {
    const ns = 'http://www.w3.org/2000/svg', w = Math.max(1, epochs.length);
    const svg = document.createElementNS(ns, 'svg');
    const rows = epochs.some((e) => e.revised !== undefined) ? 3 : 2;
    svg.setAttribute('viewBox', '0 0 ' + w + ' ' + rows); svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('width', '100%'); svg.setAttribute('height', String(18 * rows));
    epochs.forEach((e, k) => {
      for (const [row, st] of (rows === 3 ? [[0, e.reviewed], [1, e.model], [2, e.revised]] : [[0, e.reviewed], [1, e.model]])) {
        const rect = document.createElementNS(ns, 'rect');
        rect.setAttribute('x', k); rect.setAttribute('y', row); rect.setAttribute('width', 1); rect.setAttribute('height', 1);
        rect.setAttribute('fill', COLOURS[st] || '#bbb'); rect.dataset.epoch = e.i; rect.dataset.row = ['reviewed', 'model', 'revised'][row];
        if ((e.startStage || e.model) !== e.reviewed) { rect.dataset.corrected = '1'; if (!row) { rect.setAttribute('stroke', '#b03a2e'); rect.setAttribute('stroke-width', '0.15'); } }
        svg.append(rect);
      }
    });
    $('review-strip').replaceChildren(svg);
  }
  function act(path, body) {
    $('review-msg').textContent = '';
    return call('POST', 'review/' + path, body).then(() => load()).catch((e) => { $('review-msg').textContent = e.message; });
  }
  $('btn-rescore').onclick = () => {
    $('review-msg').textContent = '';
    call('POST', 'rescore', {}).then((j) => {
      $('review-rescore-msg').textContent = 're-score asked (' + j.from.slice(11, 19) + ' to ' + j.to.slice(11, 19)
        + ' UTC); when it arrives the ' + j.label + ' hypnogram becomes the starting point of the epochs it covers';
    }).catch((e) => { $('review-msg').textContent = e.message; });
  };
  $('btn-doubt').onclick = () => call('GET', 'review/doubt' + (doubt === null ? '' : '?after=' + doubt)).then((j) => {
    doubt = j.epoch; if (doubt !== null) { $('review-from').value = doubt; $('review-to').value = doubt; }
    if (shown) render(shown);
  }).catch((e) => { $('review-msg').textContent = e.message; });
  $('btn-restage').onclick = () => {
    const from = parseInt($('review-from').value, 10), to = parseInt($('review-to').value || $('review-from').value, 10);
    const body = { from, to, stage: $('review-stage').value };
    if ($('review-reason').value.trim()) body.reason = $('review-reason').value.trim();
    act('restage', body);
  };
  $('btn-leg-add').onclick = () => {
    const on = Date.parse($('review-leg-onset').value.trim()), secs = parseFloat($('review-leg-seconds').value);
    if (isNaN(on) || isNaN(secs)) { $('review-msg').textContent = 'onset must be a UTC time and duration a number of seconds'; return; }
    const body = { side: $('review-leg-side').value, onset: new Date(on).toISOString(), offset: new Date(on + secs * 1000).toISOString() };
    if ($('review-reason').value.trim()) body.reason = $('review-reason').value.trim();
    act('legs', body);
  };
  for (const id of ['review-from', 'review-to']) $(id).oninput = () => { if (shown) render(shown); };
  $('btn-sign').onclick = () => {
    const t = $('review-interpretation').value.trim();
    act('sign', t ? { interpretation: t } : {});
  };
  function open(path, type) {
    call('GET', path).then((blob) => { const u = URL.createObjectURL(blob.type ? blob : new Blob([blob], { type }));
      window.open(u, '_blank'); }).catch((e) => { $('review-msg').textContent = e.message; });
  }
  $('btn-report').onclick = () => open('report.html', 'text/html');
  $('btn-report-pdf').onclick = () => open('report.pdf', 'application/pdf');
  $('btn-fhir').onclick = () => open('fhir.json', 'application/fhir+json');

  window.hsReview = {
    show(n, me, tok) {
      user = me; token = tok;
      const visible = !!n.study;
      $('bed-review').hidden = !visible;
      if (!visible) { bed = null; return; }
      if (bed !== n.bed) { bed = n.bed; doubt = null; shown = null; load(); }
    },
    changed(b) { if (b === bed) load(); },
  };
})();
