// The cos board page: renders the state the server derived (GET /events sends it first, then
// every change), or the state embedded in a snapshot (cos board --out). Every piece of text from
// the repository goes into the page through textContent or an attribute; the one exception is
// body_html, which the server rendered with its escape-first markdown renderer.
(function () {
  'use strict';

  var RANK = { INFO: 0, WARN: 1, URGENT: 2, BLOCKER: 3 };
  var STATES = ['WAITING', 'READY', 'DISPATCHED', 'IN_PROGRESS', 'BLOCKED', 'STALE', 'FAILED', 'COMPLETE', 'VERIFIED', 'NOTED'];
  var HOLDING = { DISPATCHED: true, IN_PROGRESS: true, BLOCKED: true };
  var TIMELINE_LIMIT = 50;
  var FINDINGS_SHOWN = 25;
  var FILE_AGENT = /-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-([a-z0-9][a-z0-9._-]*)\.md$/;

  var embedded = document.getElementById('cos-state');
  var snapshot = embedded !== null;
  var state = null;
  var filters = { sprint: '', agent: '', severity: '' };
  var openTimelines = {};
  var fresh = {};
  var scheduled = false;

  // ---- DOM helpers -------------------------------------------------------------------------
  function el(tag, props) {
    var node = document.createElement(tag);
    if (props) {
      for (var key in props) {
        var value = props[key];
        if (value === null || value === undefined || value === false) continue;
        if (key === 'class') node.className = value;
        else if (key === 'text') node.textContent = value;
        else if (key === 'dataset') for (var d in value) node.dataset[d] = value[d];
        else if (key.slice(0, 2) === 'on') node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? '' : String(value));
      }
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }
  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { append(node, c); });
    else node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  var SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    for (var key in attrs || {}) {
      if (key === 'text') node.textContent = attrs[key];
      else if (key === 'class') node.setAttribute('class', attrs[key]);
      else node.setAttribute(key, String(attrs[key]));
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  // ---- small formatters --------------------------------------------------------------------
  function now() {
    return snapshot && state ? Date.parse(state.generated_at) : Date.now();
  }
  function age(ms) {
    if (!isFinite(ms)) return '?';
    var s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return s + ' s';
    var m = Math.round(s / 60);
    if (m < 60) return m + ' min';
    var h = Math.round(m / 60);
    if (h < 48) return h + ' h';
    return Math.round(h / 24) + ' d';
  }
  function ago(iso) {
    return age(now() - Date.parse(iso)) + ' ago';
  }
  function rank(severity) {
    return severity in RANK ? RANK[severity] : -1;
  }
  function findingKey(f) {
    return [f.kind, f.sprint || ''].concat(f.files.slice().sort()).join('\u0000');
  }
  function agentsOf(finding) {
    var out = [];
    finding.files.forEach(function (file) {
      var m = FILE_AGENT.exec(file);
      if (m) out.push(m[1]);
    });
    return out;
  }
  function severityPill(severity) {
    return el('span', { class: 'pill sev-' + severity, text: severity });
  }

  // ---- filters -----------------------------------------------------------------------------
  function minRank() {
    return filters.severity ? RANK[filters.severity] : -1;
  }
  function findingShown(f) {
    if (rank(f.severity) < minRank()) return false;
    if (filters.sprint && f.sprint !== filters.sprint) return false;
    if (filters.agent && agentsOf(f).indexOf(filters.agent) < 0) return false;
    return true;
  }
  function sprintShown(row) {
    if (filters.sprint && row.sprint !== filters.sprint) return false;
    if (filters.agent && !row.agents.some(function (a) { return a.agent === filters.agent; })) return false;
    if (filters.severity && rank(row.severity) < minRank()) return false;
    return true;
  }
  function agentShown(a) {
    if (filters.sprint && a.sprint !== filters.sprint) return false;
    if (filters.agent && a.agent !== filters.agent) return false;
    return true;
  }

  // ---- sections ----------------------------------------------------------------------------
  function findingsSection() {
    // Most severe first; within a severity, the ones that arrived live newest first (so a new
    // escalation is on top even when many of its severity are open), then in the server's order.
    var list = state.findings.filter(findingShown).slice().sort(function (a, b) {
      return rank(b.severity) - rank(a.severity) || (fresh[findingKey(b)] || 0) - (fresh[findingKey(a)] || 0);
    });
    var section = el('section', { class: 'findings', id: 'findings', 'aria-labelledby': 'findings-h' },
      el('h2', { id: 'findings-h', text: 'Open findings (' + list.length + ')' }));
    if (list.length === 0) {
      append(section, el('div', { class: 'all-clear', text: state.findings.length === 0 ? 'All clear: no open findings.' : 'No open findings match the filters.' }));
      return section;
    }
    var ol = el('ol');
    list.slice(0, FINDINGS_SHOWN).forEach(function (f) {
      var key = findingKey(f);
      var isFresh = fresh[key] && Date.now() - fresh[key] < 5000;
      append(ol, el('li', { class: 'finding sev-' + f.severity + (isFresh ? ' fresh' : ''), dataset: { kind: f.kind, severity: f.severity, sprint: f.sprint || '' } },
        severityPill(f.severity),
        el('span', { class: 'what' }, f.kind, f.sprint ? el('span', { text: ' · ' + f.sprint }) : null),
        el('span', { class: 'msg', text: f.message }),
        f.action ? el('span', { class: 'action' }, '→ ', el('code', { text: f.action })) : null));
    });
    append(section, ol);
    if (list.length > FINDINGS_SHOWN) append(section, el('p', { class: 'more', text: '+ ' + (list.length - FINDINGS_SHOWN) + ' more (cos scan lists them all)' }));
    return section;
  }

  function heartbeat(a, withSprint) {
    var holding = HOLDING[a.status] === true;
    var ttl = a.ttl_minutes * 60000;
    var spent = now() - Date.parse(a.heartbeat);
    var frac = ttl > 0 ? spent / ttl : 1;
    var li = el('li', { class: 'agent', dataset: { agent: a.agent, sprint: a.sprint || '' } },
      el('span', { class: 'who' }, a.agent, withSprint ? el('span', { class: 'where', text: ' on ' + a.sprint }) : null),
      el('span', { class: 'st', title: a.status, text: a.stale ? 'STALE' : a.status }));
    if (holding) {
      var bar = el('span', { class: 'bar' + (a.stale || frac >= 1 ? ' out' : frac > 0.5 ? ' mid' : ''), role: 'img',
        'aria-label': 'heartbeat ' + age(spent) + ' ago of a ' + a.ttl_minutes + ' min ttl' }, el('span'));
      bar.firstChild.style.width = Math.max(3, Math.min(100, frac * 100)).toFixed(1) + '%';
      append(li, bar);
      var said = a.stale ? 'silent for ' + age(spent) : (withSprint ? 'heartbeat ' : '') + age(spent) + ' ago';
      append(li, el('span', { class: 'age', text: said + ' · ttl ' + a.ttl_minutes + ' min' }));
    }
    return li;
  }

  function agentsByKey() {
    var map = {};
    (state.agents || []).forEach(function (a) { map[a.sprint + '\u0000' + a.agent] = a; });
    return map;
  }

  function timeline(sprint) {
    var entries = (state.timeline && state.timeline[sprint]) || [];
    var details = el('details', { dataset: { key: 'tl:' + sprint } },
      el('summary', { text: 'Timeline · ' + entries.length + (entries.length === TIMELINE_LIMIT ? ' latest' : '') + (entries.length === 1 ? ' entry' : ' entries') }));
    // The entries are put in only while the timeline is open: a board of a thousand sprints
    // re-renders on every change without building ten thousand bodies nobody looks at.
    var ol = el('ol', { class: 'timeline' });
    var filled = false;
    function fill() {
      if (filled) return;
      filled = true;
      fillTimeline(ol, entries);
    }
    if (openTimelines[sprint]) {
      details.open = true;
      fill();
    }
    details.addEventListener('toggle', function () {
      if (details.open) {
        openTimelines[sprint] = true;
        fill();
      } else delete openTimelines[sprint];
    });
    append(details, ol);
    return details;
  }

  function fillTimeline(ol, entries) {
    entries.slice().reverse().forEach(function (e) {
      var body = el('div', { class: 'md' });
      body.innerHTML = e.body_html;
      append(ol, el('li', { class: 'sev-' + e.severity, dataset: { entry: e.name } },
        el('div', { class: 'tl-head' },
          el('span', { text: '#' + e.seq }),
          el('time', { datetime: e.timestamp, text: String(e.timestamp).replace('T', ' ').replace(/:\d\dZ$/, 'Z') }),
          el('span', { class: 'who', text: e.agent }),
          el('span', { class: 'chip', text: e.status }),
          e.severity !== 'INFO' ? severityPill(e.severity) : null,
          e.title ? el('span', { text: e.title }) : null),
        body));
    });
  }

  function card(row, agents) {
    var sev = row.severity && row.severity !== 'INFO' ? row.severity : null;
    var planned = row.plan ? el('p', { class: 'planned' }, 'plan ', el('strong', { text: row.plan }),
      row.waiting_on && row.waiting_on.length ? ' · waits on ' + row.waiting_on.join(', ') : row.state === 'READY' ? ' · ready to dispatch' : null) : null;
    return el('article', { class: 'card', dataset: { sprint: row.sprint, state: row.state }, 'aria-label': row.sprint + ', ' + row.state },
      el('header', null,
        el('span', { class: 'name', text: row.sprint }),
        sev ? severityPill(sev) : null,
        row.updated ? el('time', { class: 'updated', datetime: row.updated, title: row.updated, text: ago(row.updated) }) : null),
      planned,
      el('ul', { class: 'agents' }, row.agents.map(function (a) {
        var full = agents[row.sprint + '\u0000' + a.agent];
        return heartbeat(full || { agent: a.agent, sprint: row.sprint, status: a.status, heartbeat: a.heartbeat, ttl_minutes: 0, stale: a.stale }, false);
      })),
      row.flags.length ? el('div', { class: 'flags' }, row.flags.map(function (f) { return el('span', { class: 'chip', text: f }); })) : null,
      row.agents.length || (state.timeline && state.timeline[row.sprint]) ? timeline(row.sprint) : null);
  }

  function columnsSection() {
    var rows = state.sprints.filter(sprintShown);
    var groups = {};
    rows.forEach(function (row) { (groups[row.state] = groups[row.state] || []).push(row); });
    var order = STATES.filter(function (s) { return groups[s]; }).concat(Object.keys(groups).filter(function (s) { return STATES.indexOf(s) < 0; }).sort());
    var section = el('section', { class: 'board', id: 'sprints', 'aria-labelledby': 'sprints-h' },
      el('h2', { id: 'sprints-h', text: 'Sprints (' + rows.length + ')' }));
    if (order.length === 0) {
      append(section, el('p', { class: 'empty', text: state.sprints.length === 0 ? 'No sprints yet. Post the first entry: cos post --sprint my-sprint --agent me --status IN_PROGRESS' : 'No sprint matches the filters.' }));
      return section;
    }
    var agents = agentsByKey();
    append(section, el('div', { class: 'columns' }, order.map(function (s) {
      return el('section', { class: 'column', dataset: { state: s }, 'aria-label': s + ' sprints' },
        el('h3', null, el('span', { text: s.replace('_', ' ') }), el('span', { class: 'n', text: String(groups[s].length) })),
        el('div', { class: 'cards' }, groups[s].map(function (row) { return card(row, agents); })));
    })));
    return section;
  }

  function agentsSection() {
    var list = (state.agents || []).filter(function (a) { return HOLDING[a.status] && agentShown(a); });
    list.sort(function (a, b) { return Date.parse(a.expires) - Date.parse(b.expires); });
    var section = el('section', { class: 'panel', id: 'agents', 'aria-labelledby': 'agents-h' },
      el('h2', { id: 'agents-h', text: 'Agents holding a sprint (' + list.length + ')' }));
    if (list.length === 0) append(section, el('p', { class: 'empty', text: 'No agent holds a sprint.' }));
    else append(section, el('ul', { class: 'agents' }, list.map(function (a) { return heartbeat(a, true); })));
    return section;
  }

  /**
   * Path leases (cos lease): who holds which paths, until when. A lease past its time is shown as
   * expired until the next change drops it (the page's clock ticks on; the server's does not
   * re-evaluate for a lease alone). A lease that can match a path another agent's lease matches
   * (a lease-conflict finding) is marked.
   */
  function leasesSection() {
    var conflicting = {};
    (state.lease_conflicts || []).forEach(function (c) {
      [c.a, c.b].forEach(function (l) { conflicting[l.file + '\u0000' + l.pattern] = true; });
    });
    var list = (state.leases || []).filter(agentShown);
    var section = el('section', { class: 'panel', id: 'leases', 'aria-labelledby': 'leases-h' },
      el('h2', { id: 'leases-h', text: 'Path leases (' + list.length + ')' }));
    if (list.length === 0) {
      append(section, el('p', { class: 'empty', text: (state.leases || []).length === 0 ? 'No live leases (cos lease --sprint S --agent A PATTERN takes one).' : 'No lease matches the filters.' }));
      return section;
    }
    append(section, el('ul', { class: 'leases' }, list.map(function (l) {
      var left = Date.parse(l.until) - now();
      var expired = left < 0;
      var conflict = conflicting[l.file + '\u0000' + l.pattern] === true;
      return el('li', { class: 'lease' + (expired ? ' expired' : '') + (conflict ? ' conflict' : ''), dataset: { agent: l.agent, sprint: l.sprint, pattern: l.pattern } },
        el('code', { class: 'pattern', text: l.pattern }),
        el('span', { class: 'who' }, l.agent, el('span', { class: 'where', text: ' on ' + l.sprint })),
        el('time', { class: 'until', datetime: l.until, title: l.until + ' (' + l.file + ')',
          text: (expired ? 'expired ' + age(-left) + ' ago' : 'until ' + l.until.slice(11, 16) + ' UTC · ' + age(left) + ' left') }),
        conflict ? el('span', { class: 'pill sev-URGENT', text: 'conflict' }) : null);
    })));
    return section;
  }

  /**
   * Nodes and edges: every step of every plan with its state (from the plans library), and the
   * sprints outside the plans they depend on (their state from the sprint rows; a dependency no
   * step waits on any more is finished).
   */
  function planData() {
    var stateOf = {};
    state.sprints.forEach(function (r) { stateOf[r.sprint] = r.state; });
    var nodes = {};
    var plans = {};
    var edges = [];
    var unfinished = {};
    (state.plans || []).forEach(function (plan) {
      plan.steps.forEach(function (step) {
        nodes[step.sprint] = step.state;
        plans[step.sprint] = plan.name;
        step.waiting_on.forEach(function (dep) { unfinished[dep] = true; });
      });
    });
    (state.plans || []).forEach(function (plan) {
      plan.steps.forEach(function (step) {
        step.depends_on.forEach(function (dep) {
          if (!(dep in nodes)) nodes[dep] = stateOf[dep] || (unfinished[dep] ? 'NOT FINISHED' : 'FINISHED');
          edges.push([dep, step.sprint]);
        });
      });
    });
    return { nodes: nodes, edges: edges, plans: plans };
  }

  function planSection() {
    var data = planData();
    var names = Object.keys(data.nodes).sort();
    var section = el('section', { class: 'panel graph', id: 'plan', 'aria-labelledby': 'plan-h' },
      el('h2', { id: 'plan-h', text: 'Plan dependencies' }));
    if (names.length === 0) {
      append(section, el('p', { class: 'empty', text: 'No plans yet (cos plan apply FILE adds one).' }));
      return section;
    }
    // Layers: a node sits one layer right of its deepest dependency.
    var preds = {};
    names.forEach(function (n) { preds[n] = []; });
    data.edges.forEach(function (e) { preds[e[1]].push(e[0]); });
    var layer = {};
    function depth(n, seen) {
      if (n in layer) return layer[n];
      if (seen[n]) return 0;
      seen[n] = true;
      var d = 0;
      preds[n].forEach(function (p) { d = Math.max(d, depth(p, seen) + 1); });
      return (layer[n] = d);
    }
    names.forEach(function (n) { depth(n, {}); });
    var layers = [];
    names.forEach(function (n) { (layers[layer[n]] = layers[layer[n]] || []).push(n); });
    var W = 176, H = 46, GX = 64, GY = 18, PAD = 8;
    var pos = {};
    layers.forEach(function (list, i) {
      if (i > 0) {
        // Order by the mean row of the dependencies, so edges cross less.
        list.sort(function (a, b) {
          function mean(n) { var p = preds[n]; return p.length ? p.reduce(function (s, q) { return s + pos[q].row; }, 0) / p.length : 0; }
          return mean(a) - mean(b) || (a < b ? -1 : 1);
        });
      }
      list.forEach(function (n, row) { pos[n] = { x: PAD + i * (W + GX), y: PAD + row * (H + GY), row: row }; });
    });
    var rows = Math.max.apply(null, layers.map(function (l) { return l.length; }));
    var width = PAD * 2 + layers.length * W + (layers.length - 1) * GX;
    var height = PAD * 2 + rows * H + (rows - 1) * GY;
    var root = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, width: width, height: height, role: 'img', 'aria-label': 'Plan dependency graph: ' + names.length + ' sprints, ' + data.edges.length + ' dependencies' },
      svg('defs', null, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z' }))));
    data.edges.forEach(function (e) {
      var a = pos[e[0]], b = pos[e[1]];
      var x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x - 2, y2 = b.y + H / 2, mx = (x1 + x2) / 2;
      append(root, svg('path', { class: 'edge', d: 'M' + x1 + ',' + y1 + ' C' + mx + ',' + y1 + ' ' + mx + ',' + y2 + ' ' + x2 + ',' + y2, 'marker-end': 'url(#arrow)', 'data-from': e[0], 'data-to': e[1] }));
    });
    names.forEach(function (n) {
      var p = pos[n];
      var label = n.length > 22 ? n.slice(0, 21) + '…' : n;
      append(root, svg('g', { class: 'node' + (data.plans[n] ? '' : ' outside'), 'data-sprint': n, 'data-state': data.nodes[n], transform: 'translate(' + p.x + ',' + p.y + ')' },
        svg('title', { text: n + ' — ' + data.nodes[n] + (data.plans[n] ? ' (plan ' + data.plans[n] + ')' : ' (outside the plans)') }),
        svg('rect', { width: W, height: H, rx: 8 }),
        svg('text', { x: 12, y: 19, text: label }),
        svg('text', { class: 'state', x: 12, y: 36, text: String(data.nodes[n]).replace('_', ' ') })));
    });
    append(section, root);
    return section;
  }

  // ---- shell and rendering -----------------------------------------------------------------
  var shell = {};
  function select(name, label, options) {
    var node = el('select', { id: 'filter-' + name, name: name, onchange: function () { filters[name] = node.value; render(); } });
    shell[name] = node;
    setOptions(node, options);
    return el('label', { for: 'filter-' + name }, label, node);
  }
  function setOptions(node, options) {
    var signature = JSON.stringify(options);
    if (node.dataset.options === signature) return;
    node.dataset.options = signature;
    var value = node.value;
    node.replaceChildren.apply(node, options.map(function (o) { return el('option', { value: o[0], text: o[1] }); }));
    node.value = options.some(function (o) { return o[0] === value; }) ? value : '';
    filters[node.name] = node.value;
  }
  function sprintOptions() {
    return [['', 'All sprints']].concat(state.sprints.map(function (r) { return r.sprint; }).sort().map(function (s) { return [s, s]; }));
  }
  function agentOptions() {
    var seen = {};
    state.sprints.forEach(function (r) { r.agents.forEach(function (a) { seen[a.agent] = true; }); });
    return [['', 'All agents']].concat(Object.keys(seen).sort().map(function (a) { return [a, a]; }));
  }
  var SEVERITY_OPTIONS = [['', 'Any severity'], ['WARN', 'WARN and up'], ['URGENT', 'URGENT and up'], ['BLOCKER', 'BLOCKER only']];

  function buildShell(mount) {
    shell.live = el('span', { class: 'live', id: 'live', role: 'status' });
    shell.counts = el('span', { class: 'counts', id: 'counts' });
    shell.main = el('main', { id: 'main', tabindex: '-1' });
    mount.replaceChildren(
      el('a', { class: 'skip', href: '#main', text: 'Skip to the board' }),
      el('header', { class: 'top' },
        el('h1', null, 'cos board', el('span', { class: 'repo', text: state.repository ? ' · ' + state.repository : '' })),
        shell.live, shell.counts,
        el('div', { class: 'filters', role: 'group', 'aria-label': 'Filters' },
          select('sprint', 'Sprint', sprintOptions()),
          select('agent', 'Agent', agentOptions()),
          select('severity', 'Severity', SEVERITY_OPTIONS))),
      shell.main);
  }

  var liveMode = snapshot ? 'snapshot' : 'connecting';
  function setLive(mode) {
    liveMode = mode;
    if (!shell.live || !state) return;
    shell.live.dataset.live = mode;
    shell.live.textContent = { live: 'Live', reconnecting: 'Reconnecting…', connecting: 'Connecting…' }[mode] || 'Snapshot of ' + state.generated_at.replace('T', ' ');
  }

  function render() {
    scheduled = false;
    if (!state) return;
    var mount = document.getElementById('board');
    if (!shell.main) {
      buildShell(mount);
      setLive(liveMode);
    }
    setOptions(shell.sprint, sprintOptions());
    setOptions(shell.agent, agentOptions());
    var active = document.activeElement;
    var focusKey = active && shell.main.contains(active) && active.closest('[data-key]') ? active.closest('[data-key]').dataset.key : null;
    shell.counts.textContent = state.sprints.length + ' sprints · ' + state.findings.length + ' open findings · ' + state.entries + ' entries';
    shell.main.replaceChildren(findingsSection(), columnsSection(),
      el('div', { class: 'lower' }, el('div', { class: 'side' }, agentsSection(), leasesSection()), planSection()));
    if (focusKey) {
      var again = shell.main.querySelector('[data-key="' + (window.CSS && CSS.escape ? CSS.escape(focusKey) : focusKey) + '"] > summary');
      if (again) again.focus();
    }
    setTitle();
  }
  function setTitle() {
    document.title = (state.findings.some(function (f) { return rank(f.severity) >= 2; }) ? '(!) ' : '') + 'cos board' + (state.repository ? ' · ' + state.repository : '');
  }
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(render);
  }

  // ---- live updates ------------------------------------------------------------------------
  // Open findings by the identity the server tracks them with (finding_ids): `finding` adds or
  // replaces one, `resolved` removes it, a `state` event names the ones still open.
  var findingsById = null;
  function setFindings() {
    state.findings = Object.keys(findingsById).map(function (id) { return findingsById[id]; });
  }
  function onState(data) {
    var timeline = data.state.timeline || (state && state.timeline) || {};
    state = Object.assign({}, state || {}, data.state, { timeline: timeline });
    if (data.state.findings) {
      findingsById = {};
      data.state.findings.forEach(function (f, i) { findingsById[data.finding_ids ? data.finding_ids[i] : i] = f; });
    } else if (data.finding_ids && findingsById) {
      var open = {};
      data.finding_ids.forEach(function (id) { open[id] = true; });
      Object.keys(findingsById).forEach(function (id) { if (!open[id]) delete findingsById[id]; });
    }
    setFindings();
    schedule();
  }
  function onEntry(data) {
    if (!state) return;
    var e = data.entry;
    var list = state.timeline[e.sprint] || (state.timeline[e.sprint] = []);
    if (list.some(function (x) { return x.name === e.name; })) return;
    list.push(e);
    if (list.length > TIMELINE_LIMIT) list.splice(0, list.length - TIMELINE_LIMIT);
    state.entries += 1;
    schedule();
  }
  /**
   * The banner alone, at once (not on the next frame: an escalation must show even in a
   * background tab, and without waiting for a thousand sprint cards); the rest on the next frame.
   */
  function renderFindings() {
    var old = shell.main && document.getElementById('findings');
    if (!old) {
      render();
      return;
    }
    old.replaceWith(findingsSection());
    setTitle();
    schedule();
  }
  function onFinding(data) {
    if (!state || !findingsById) return;
    fresh[findingKey(data.finding)] = Date.now();
    findingsById[data.id] = data.finding;
    setFindings();
    renderFindings();
  }
  function onResolved(data) {
    if (!state || !findingsById) return;
    delete findingsById[data.id];
    setFindings();
    renderFindings();
  }

  function connect() {
    var source = new EventSource('events');
    source.addEventListener('open', function () { setLive('live'); });
    source.addEventListener('error', function () { setLive('reconnecting'); });
    function on(name, fn) {
      source.addEventListener(name, function (event) { fn(JSON.parse(event.data)); setLive('live'); });
    }
    on('state', onState);
    on('entry', onEntry);
    on('finding', onFinding);
    on('resolved', onResolved);
    on('ready', function () { schedule(); });
  }

  if (snapshot) {
    state = JSON.parse(embedded.textContent);
    render();
  } else {
    connect();
    setInterval(schedule, 10000);
  }
})();
