// The simulator's web panel: draws the state pushed on /live, sends key presses back.
// Plain browser script, no libraries: it ships with the package and works without internet.
'use strict';
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var ws = null;
  var lastTray = '';
  var trayCount = 0;

  function connect() {
    ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/live');
    ws.onopen = function () { $('link').textContent = 'live'; $('link').className = 'link up'; };
    ws.onclose = function () {
      $('link').textContent = 'disconnected — retrying'; $('link').className = 'link';
      setTimeout(connect, 1000);
    };
    ws.onmessage = function (m) {
      var s = JSON.parse(m.data);
      if (s.type === 'state') render(s);
    };
  }

  function press(key) {
    var b = document.querySelector('button[data-key="' + (key === '#' ? '\\#' : key) + '"]');
    if (b) { b.classList.add('pressed'); setTimeout(function () { b.classList.remove('pressed'); }, 120); }
    if (ws && ws.readyState === 1) ws.send(JSON.stringify({ key: key }));
    else fetch('/key', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: key }) });
  }

  function text(id, v) { var e = $(id); if (e.textContent !== String(v)) e.textContent = String(v); }

  function render(s) {
    text('lcd-0', s.lcd[0]); text('lcd-1', s.lcd[1]);
    text('line-state', s.line); $('line-lamp').className = 'lamp ' + s.line;
    text('memory', s.memoryPercent + ' % of ' + s.memory.size + ', room for ~' + s.memory.freePages + ' of ' + s.memory.totalPages + ' pages');
    text('paper', s.paper ? 'loaded' : 'OUT');
    text('paper-toggle', s.paper ? 'take out' : 'load');
    $('paper-toggle').setAttribute('data-present', s.paper ? '0' : '1');
    $('faults-wrap').hidden = !s.faults; text('faults', s.faults);
    var c = s.call;
    text('call-phase', c ? (c.direction === 'send' ? 'sending: ' : 'receiving: ') + c.phase : 'no call');
    text('call-remote', c ? (c.sub ? 'SUB ' + c.sub + ' (confidential: sender not shown)' : c.remote || '(no ident)') : '-');
    text('call-rate', c && c.rate ? c.rate + ' bit/s' : '-');
    text('call-coding', c && c.coding ? c.coding + (c.fine ? ', fine' : ', standard') + (c.ecm ? ', ECM' : '') : '-');
    text('call-page', c ? 'page ' + c.page + ' (' + c.pagesDone + ' done)' : '-');
    text('call-ecm', c && c.ecmBlock !== null ? 'block ' + c.ecmBlock + (c.ecmFrames !== null ? ', ' + c.ecmFrames + ' frames' : '') : '-');
    text('waiting', s.waiting);
    var rows = s.boxes.map(function (b) {
      return '<tr data-box="' + esc(b.number) + '"><td>' + esc(b.number) + '</td><td class="waiting">' + b.waiting +
        '</td><td class="kept">' + b.kept + '</td><td>' + (b.lockedSeconds ? 'locked ' + b.lockedSeconds + ' s' : '-') + '</td></tr>';
    }).join('');
    if ($('boxes').innerHTML !== rows) $('boxes').innerHTML = rows;
    var j = s.journal.map(function (l) { return '<li>' + esc(l) + '</li>'; }).join('');
    if ($('journal').innerHTML !== j) $('journal').innerHTML = j;
    var r = s.remote.results.map(function (l) { return '<li>' + esc(l) + '</li>'; }).join('');
    if (s.remote.active) r = '<li>calling: ' + esc(s.remote.active) + '</li>' + r;
    if (s.remote.queued) r = '<li>' + s.remote.queued + ' call(s) waiting for the line</li>' + r;
    if ($('remote-results').innerHTML !== r) $('remote-results').innerHTML = r;
    renderTray(s.tray);
  }

  function renderTray(tray) {
    var key = JSON.stringify(tray);
    if (key === lastTray) return;
    lastTray = key;
    trayCount = tray.filter(function (p) { return !p.printing; }).length;
    text('tray-count', trayCount + (trayCount === 1 ? ' page' : ' pages') + (tray.length > trayCount ? ', printing…' : ''));
    var box = $('tray');
    if (tray.length === 0) { box.innerHTML = '<p class="empty">No page printed yet.</p>'; return; }
    var html = tray.map(function (p) {
      // Rows are 3.85 or 7.7 per mm, pixels 8 per mm: the picture keeps the paper's shape.
      var aspect = p.width / 8 / (Math.max(p.rows, 1) / p.linesPerMm);
      var src = '/tray/' + p.n + '.png' + (p.printing ? '?rows=' + p.rows : '');
      return '<figure class="sheet' + (p.printing ? ' printing' : '') + '" data-page="' + p.n + '" style="aspect-ratio:' + aspect.toFixed(4) + '">' +
        (p.rows ? '<img alt="printed page ' + p.n + '" src="' + src + '" style="height:100%">' : '') +
        '<span class="label">page ' + p.n + (p.printing ? ' — printing, ' + p.rows + ' lines' : '') + '</span></figure>';
    }).join('');
    box.innerHTML = html;
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (ch) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch]; });
  }

  document.getElementById('keypad').addEventListener('click', function (e) {
    var k = e.target && e.target.getAttribute && e.target.getAttribute('data-key');
    if (k) press(k);
  });

  var KEYS = { Enter: 'OK', Backspace: 'BACK', Escape: 'STOP', ArrowUp: 'UP', ArrowDown: 'DOWN', m: 'MENU', b: 'BOX', r: 'REPORT', s: 'START', p: 'SPEED' };
  document.addEventListener('keydown', function (e) {
    var t = e.target && e.target.tagName;
    if (t === 'INPUT' || t === 'SELECT' || t === 'TEXTAREA' || e.ctrlKey || e.metaKey || e.altKey) return;
    if (!$('zoom').hidden) { if (e.key === 'Escape') $('zoom').hidden = true; return; }
    var k = /^[0-9*#]$/.test(e.key) ? e.key : KEYS[e.key];
    if (k) { e.preventDefault(); press(k); }
  });

  $('tray').addEventListener('click', function (e) {
    var fig = e.target.closest && e.target.closest('.sheet');
    var img = fig && fig.querySelector('img');
    if (!img) return;
    var z = $('zoom');
    z.querySelector('img').src = img.src;
    z.hidden = false;
  });
  $('paper-toggle').addEventListener('click', function () {
    fetch('/paper?present=' + ($('paper-toggle').getAttribute('data-present') || '0'), { method: 'POST' });
  });
  $('zoom').addEventListener('click', function () { $('zoom').hidden = true; });

  $('remote-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var f = $('remote-file').files[0];
    if (!f) return;
    var q = new URLSearchParams({ sub: $('remote-sub').value, pwd: $('remote-pwd').value, resolution: $('remote-res').value, ecm: $('remote-ecm').checked ? '1' : '0', name: f.name });
    text('remote-status', 'sending ' + f.name + ' to the remote machine…');
    fetch('/remote?' + q.toString(), { method: 'POST', body: f }).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) throw new Error(j.error || r.statusText);
        $('remote-status').className = 'hint';
        text('remote-status', f.name + ': ' + j.pages + ' page(s); ' + (j.calling ? 'the remote machine is calling' : 'waiting for the line'));
      });
    }).catch(function (err) { text('remote-status', 'refused: ' + err.message); $('remote-status').className = 'hint error'; });
  });

  connect();
})();
