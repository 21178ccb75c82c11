/* OpenCem web intercept: see "Web intercept" in OpenCem's README. Sends nothing but the ids it is given or finds. */
(function () {
  'use strict';
  var me = document.currentScript || document.querySelector('script[data-write-key][src*="intercept.js"]');
  var key = me && me.getAttribute('data-write-key'), survey = me && me.getAttribute('data-survey');
  if (!key || !survey) return;
  var base = me.src.replace(/intercept\.js([?#].*)?$/, ''), cfg = window.OpenCemIntercept || {}, X = 'ocm-ix', id = X + '-' + survey;
  // All rules sit under the .ocm-ix class. A: accent colour, B: box edge.
  var CSS = '.X{position:fixed;z-index:2147483000;right:16px;bottom:16px;width:min(380px,calc(100vw - 32px));padding:16px;background:#fff;' +
    'color:#1c1c21;border:1px solid #c9c9d1;border-radius:12px;box-shadow:0 8px 28px #0003;font:14px/1.4 system-ui,sans-serif;text-align:left}' +
    '.X,.X *{box-sizing:border-box}.X *{margin:0;padding:0;border:0;font:inherit;color:inherit;text-transform:none}' +
    '.X .X-q{display:block;width:100%;margin-bottom:10px}.X .X-q,.X .X-t{font-weight:600;font-size:15px}' +
    '.X .X-s{display:grid;gap:4px}.X .X-o{position:relative}.X .X-o input{position:absolute;inset:0;opacity:0}' +
    '.X .X-o>span{display:block;padding:7px 0;text-align:center;border:B;background:#f4f4f7}.X .X-o>span,.X .X-l,.X button{font-weight:600}' +
    '.X .X-o input:checked+span,.X .X-go{background:A;border-color:A;color:#fff}' +
    '.X input:focus-visible+span,.X :focus-visible{outline:3px solid A;outline-offset:2px}.X .X-t{outline:0}' +
    '.X .X-e{display:flex;justify-content:space-between;margin-top:6px;font-size:12px;color:#55555f}.X .X-l{display:block;margin:14px 0 6px}' +
    '.X textarea{display:block;width:100%;min-height:64px;padding:8px;border:B;background:#fff}' +
    '.X .X-m{margin-top:8px;color:#b3261e}.X .X-m:empty{display:none}.X .X-b{display:flex;justify-content:flex-end;gap:8px;margin-top:14px}' +
    '.X button{padding:8px 14px;border:B;background:#fff;cursor:pointer}';

  function store(k, v) {
    try {
      return v ? localStorage.setItem(k, v) : localStorage.getItem(k);
    } catch (e) { return null; } // storage blocked
  }
  function unquote(v) {
    try { return typeof JSON.parse(v) === 'string' ? JSON.parse(v) : v; } catch (e) { return v; }
  }
  function anonymousId() {
    // Given, else Segment analytics.js's (cookie, then localStorage), else our own.
    var m = document.cookie.match(/(?:^|; )ajs_anonymous_id=([^;]*)/);
    var v = cfg.anonymousId || m && unquote(decodeURIComponent(m[1])) || unquote(store('ajs_anonymous_id') || '') || store('opencem_anonymous_id');
    if (!v) store('opencem_anonymous_id', v = crypto.randomUUID ? crypto.randomUUID() : Date.now() + '-' + Math.random().toString(36).slice(2));
    return v;
  }
  function post(path, body) {
    body.writeKey = key; // text/plain keeps the request simple: no CORS preflight
    return fetch(base + 'intercept/v1/' + path, {method: 'POST', headers: {'Content-Type': 'text/plain'}, body: JSON.stringify(body), credentials: 'omit'})
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw j; return j; }); });
  }
  function el(tag, props, kids) {
    var e = document.createElement(tag);
    for (var p in props) if (/-|^role$|^style$/.test(p)) e.setAttribute(p, props[p]); else e[p] = props[p];
    (kids || []).forEach(function (k) { if (k) e.appendChild(k); });
    return e;
  }

  function show(j) {
    if (!document.getElementById(X + '-css')) {
      document.head.appendChild(el('style', {id: X + '-css',
        textContent: CSS.replace(/X/g, X).replace(/\bA\b/g, 'var(--ocm-ix-accent,#1f4fc9)').replace(/\bB\b/g, '1px solid #a9a9b4;border-radius:6px')}));
    }
    var q = j.question, c = j.comment, t = j.texts, lo = q.minRateDescription, hi = q.maxRateDescription, back = document.activeElement, options = [], timer;
    for (var v = q.rateMin; v <= q.rateMax; v++) {
      var radio = {type: 'radio', name: id + '-r', value: v};
      if (v === q.rateMin && lo || v === q.rateMax && hi) radio['aria-describedby'] = id + (v === q.rateMin ? '-lo' : '-hi'); // the ends' words
      options.push(el('label', {className: X + '-o'}, [el('input', radio), el('span', {textContent: v})]));
    }
    var msg = el('p', {className: X + '-m', role: 'alert'});
    var text = c && el('textarea', {id: id + '-c', rows: 3, maxLength: 2000});
    var send = el('button', {type: 'submit', className: X + '-go', textContent: t.submit});
    var close = el('button', {type: 'button', textContent: t.close});
    var form = el('form', {noValidate: true}, [
      el('fieldset', {}, [
        el('legend', {id: id + '-q', className: X + '-q', textContent: q.title}),
        el('div', {className: X + '-s', style: 'grid-template-columns:repeat(' + options.length + ',1fr)'}, options),
        (lo || hi) && el('div', {className: X + '-e', 'aria-hidden': 'true'}, [el('span', {id: id + '-lo', textContent: lo || ''}), el('span', {id: id + '-hi', textContent: hi || ''})])
      ]),
      c && el('label', {className: X + '-l', htmlFor: id + '-c', textContent: c.title}), text, msg,
      el('div', {className: X + '-b'}, [close, send])
    ]);
    var box = el('div', {className: X, id: id, role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': id + '-q', lang: j.language}, [form]);
    function done() {
      clearTimeout(timer);
      var inside = box.contains(document.activeElement);
      box.remove();
      if (inside && back && back.focus) back.focus();
    }
    function thanks() {
      var p = el('p', {id: id + '-t', className: X + '-t', tabIndex: -1, role: 'status', textContent: t.thanks});
      box.replaceChildren(p, el('div', {className: X + '-b'}, [close]));
      box.setAttribute('aria-labelledby', id + '-t');
      p.focus();
      timer = setTimeout(done, 8000);
    }
    box.onkeydown = function (e) { if (e.key === 'Escape') done(); };
    close.onclick = done;
    form.onsubmit = function (e) {
      e.preventDefault();
      var picked = form.querySelector('input:checked'), answers = {};
      if (!picked) {
        msg.textContent = t.required;
        return form.querySelector('input').focus();
      }
      answers[q.name] = +picked.value;
      if (text && text.value.trim()) answers[c.name] = text.value.trim();
      send.disabled = true;
      msg.textContent = '';
      post('responses', {token: j.token, answers: answers}).then(thanks, function (p) {
        if (p && p.status === 409) return thanks(); // taken already (a second click)
        send.disabled = false;
        msg.textContent = t.error;
      });
    };
    document.body.appendChild(box);
    form.querySelector('input').focus();
  }

  function start() {
    // At most one check a day per survey and browser; the server decides the rest.
    var asked = X + '-' + key.slice(-6) + '-' + survey, last = +store(asked);
    if (Date.now() - last < 864e5 || document.getElementById(id)) return;
    post('eligibility', {
      surveyId: +survey || survey, userId: cfg.userId || undefined, anonymousId: anonymousId(),
      language: cfg.language || document.documentElement.lang || navigator.language, url: location.href.slice(0, 2048)
    }).then(function (j) {
      store(asked, '' + Date.now());
      if (j.eligible) show(j);
    }, function (p) { console.warn('OpenCem intercept:', p && p.detail || p); });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
