// The cos board page: renders the state the server derived (GET /events sends it first, then
// every change), or the state embedded in a snapshot (cos board --out). Every piece of text from
// the repository goes into the page through textContent or an attribute; the one exception is
// body_html, which the server rendered with its escape-first markdown renderer.
//
// Rendering is keyed and incremental: every sprint card, column, finding, agent row, lease row
// and timeline entry is a node kept by its key (sprint, state, finding, agent, lease, entry
// name) and rebuilt only when what it shows changed; nodes are moved only when their order
// changed (the fewest moves: those outside a longest run already in order). An event touching
// one sprint touches that card (and its column), not the thousand others, and never the node a
// person has focused or the timeline they opened elsewhere. Ages and heartbeat bars tick in
// place every 10 s.
(function () {
  'use strict';

  var RANK = { INFO: 0, WARN: 1, URGENT: 2, BLOCKER: 3 };
  var STATES = ['WAITING', 'READY', 'DISPATCHED', 'IN_PROGRESS', 'BLOCKED', 'STALE', 'FAILED', 'COMPLETE', 'VERIFIED', 'NOTED'];
  var HOLDING = { DISPATCHED: true, IN_PROGRESS: true, BLOCKED: true };
  var TIMELINE_LIMIT = 50;
  var FINDINGS_SHOWN = 25;
  var FRESH_MS = 5000;
  var TICK_MS = 10000;
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
  /** Writes only what differs (an unchanged write still costs the browser a style pass). */
  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }
  function setClass(node, name) {
    if (node.className !== name) node.className = name;
  }
  function setAttr(node, name, value) {
    if (node.getAttribute(name) !== value) node.setAttribute(name, value);
  }

  /**
   * Positions in `seq` of a longest strictly increasing run of its values (negative values, the
   * nodes not yet in the parent, are never part of it).
   */
  function longestIncreasing(seq) {
    var tails = [];
    var prev = new Array(seq.length);
    for (var i = 0; i < seq.length; i++) {
      var v = seq[i];
      if (v < 0) continue;
      var lo = 0;
      var hi = tails.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (seq[tails[mid]] < v) lo = mid + 1;
        else hi = mid;
      }
      prev[i] = lo > 0 ? tails[lo - 1] : -1;
      tails[lo] = i;
    }
    var keep = new Array(seq.length);
    for (var k = tails.length ? tails[tails.length - 1] : -1; k >= 0; k = prev[k]) keep[k] = true;
    return keep;
  }

  /**
   * Make `parent`'s children exactly `nodes`, in that order, with the fewest moves: children not
   * wanted are removed, the longest run already in order stays where it is, the rest are put in
   * place. A node that is not moved keeps its focus, its open <details> and its scroll position.
   */
  function place(parent, nodes) {
    var wanted = new Set(nodes);
    var index = new Map();
    var i = 0;
    var child = parent.firstChild;
    while (child) {
      var next = child.nextSibling;
      if (wanted.has(child)) index.set(child, i++);
      else parent.removeChild(child);
      child = next;
    }
    var seq = nodes.map(function (n) { return index.has(n) ? index.get(n) : -1; });
    var keep = longestIncreasing(seq);
    var after = null;
    for (var k = nodes.length - 1; k >= 0; k--) {
      if (!keep[k]) parent.insertBefore(nodes[k], after);
      after = nodes[k];
    }
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
  function count(n, one, many) {
    return n + ' ' + (n === 1 ? one : many);
  }
  function rank(severity) {
    return severity in RANK ? RANK[severity] : -1;
  }
  var findingKeys = new WeakMap();
  function findingKey(f) {
    var key = findingKeys.get(f);
    if (key === undefined) {
      key = [f.kind, f.sprint || ''].concat(f.files.slice().sort()).join('\u0000');
      findingKeys.set(f, key);
    }
    return key;
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

  // ---- keyed records -------------------------------------------------------------------------
  /**
   * A keyed node: `make(item, ticks)` builds it (pushing into `ticks` the functions that bring its
   * time-dependent parts up to date); it is built again only when `sig` of the item changes.
   */
  function keyed() {
    var records = new Map();
    return {
      node: function (key, sig, make, item) {
        var rec = records.get(key);
        if (!rec || rec.sig !== sig) {
          var ticks = [];
          rec = { sig: sig, node: make(item, ticks), ticks: ticks, used: true };
          records.set(key, rec);
        }
        rec.used = true;
        return rec.node;
      },
      /** Forget the records not asked for since the last sweep. */
      sweep: function () {
        records.forEach(function (rec, key) {
          if (!rec.used) records.delete(key);
          rec.used = false;
        });
      },
      tick: function () {
        records.forEach(function (rec) {
          if (rec.node.isConnected) rec.ticks.forEach(function (fn) { fn(); });
        });
      },
    };
  }

  // ---- sections ----------------------------------------------------------------------------
  var parts = null;

  function findingItem(f) {
    var key = findingKey(f);
    var isFresh = fresh[key] && Date.now() - fresh[key] < FRESH_MS;
    return el('li', { class: 'finding sev-' + f.severity + (isFresh ? ' fresh' : ''), dataset: { kind: f.kind, severity: f.severity, sprint: f.sprint || '' } },
      severityPill(f.severity),
      el('span', { class: 'what' }, f.kind, f.sprint ? el('span', { text: ' · ' + f.sprint }) : null),
      el('span', { class: 'msg', text: f.message }),
      f.action ? el('span', { class: 'action' }, '→ ', el('code', { text: f.action })) : null);
  }

  var findingRecords = keyed();
  function findingsView() {
    var p = parts.findings;
    // Most severe first; within a severity, the ones that arrived live newest first (so a new
    // escalation is on top even when many of its severity are open), then in the server's order.
    var list = state.findings.filter(findingShown).map(function (f, i) {
      var key = findingKey(f);
      return { f: f, key: key, rank: rank(f.severity), fresh: fresh[key] || 0, i: i };
    }).sort(function (a, b) {
      return b.rank - a.rank || b.fresh - a.fresh || a.i - b.i;
    });
    setText(p.h2, 'Open findings (' + list.length + ')');
    if (list.length === 0) {
      setText(p.clear, state.findings.length === 0 ? 'All clear: no open findings.' : 'No open findings match the filters.');
      place(p.section, [p.h2, p.clear]);
      findingRecords.sweep();
      return;
    }
    var seen = {};
    place(p.ol, list.slice(0, FINDINGS_SHOWN).map(function (item) {
      var key = item.key;
      // Two findings of one kind over the same files (their messages differ): keys stay unique.
      seen[key] = (seen[key] || 0) + 1;
      var isFresh = item.fresh && Date.now() - item.fresh < FRESH_MS;
      return findingRecords.node(key + '\u0000' + seen[key], JSON.stringify(item.f) + (isFresh ? '!' : ''), findingItem, item.f);
    }));
    findingRecords.sweep();
    setText(p.more, list.length > FINDINGS_SHOWN ? '+ ' + (list.length - FINDINGS_SHOWN) + ' more (cos scan lists them all)' : '');
    place(p.section, list.length > FINDINGS_SHOWN ? [p.h2, p.ol, p.more] : [p.h2, p.ol]);
  }

  /** A heartbeat row; its bar and age are brought up to date by a tick pushed into `ticks`. */
  function heartbeat(a, withSprint, ticks) {
    var holding = HOLDING[a.status] === true;
    var li = el('li', { class: 'agent', dataset: { agent: a.agent, sprint: a.sprint || '' } },
      el('span', { class: 'who' }, a.agent, withSprint ? el('span', { class: 'where', text: ' on ' + a.sprint }) : null),
      el('span', { class: 'st', title: a.status, text: a.stale ? 'STALE' : a.status }));
    if (holding) {
      var fill = el('span');
      var bar = el('span', { class: 'bar', role: 'img' }, fill);
      var said = el('span', { class: 'age' });
      append(li, [bar, said]);
      var tick = function () {
        var ttl = a.ttl_minutes * 60000;
        var spent = now() - Date.parse(a.heartbeat);
        var frac = ttl > 0 ? spent / ttl : 1;
        setClass(bar, 'bar' + (a.stale || frac >= 1 ? ' out' : frac > 0.5 ? ' mid' : ''));
        setAttr(bar, 'aria-label', 'heartbeat ' + age(spent) + ' ago of a ' + a.ttl_minutes + ' min ttl');
        fill.style.width = Math.max(3, Math.min(100, frac * 100)).toFixed(1) + '%';
        setText(said, (a.stale ? 'silent for ' + age(spent) : (withSprint ? 'heartbeat ' : '') + age(spent) + ' ago') + ' · ttl ' + a.ttl_minutes + ' min');
      };
      tick();
      ticks.push(tick);
    }
    return li;
  }

  var agentsKeyed = { agents: null, map: {} };
  function agentsByKey() {
    if (agentsKeyed.agents === state.agents) return agentsKeyed.map;
    var map = {};
    (state.agents || []).forEach(function (a) { map[a.sprint + '\u0000' + a.agent] = a; });
    agentsKeyed = { agents: state.agents, map: map };
    return map;
  }

  /**
   * A sprint's timeline: one <details> per sprint for the page's life (a card rebuilt for a
   * change of its row keeps it, open or not, focused or not). The entries are put in only while
   * it is open: a board of a thousand sprints does not build ten thousand bodies nobody reads.
   */
  var timelines = new Map();
  function timelineOf(sprint) {
    var tl = timelines.get(sprint);
    if (tl) return tl;
    tl = { sprint: sprint, sig: null, filled: false, items: new Map() };
    tl.summary = el('summary');
    tl.ol = el('ol', { class: 'timeline' });
    tl.details = el('details', { dataset: { key: 'tl:' + sprint } }, tl.summary, tl.ol);
    tl.details.addEventListener('toggle', function () {
      if (tl.details.open) {
        openTimelines[sprint] = true;
        fillTimeline(tl);
      } else delete openTimelines[sprint];
    });
    if (openTimelines[sprint]) tl.details.open = true;
    timelines.set(sprint, tl);
    return tl;
  }
  function timelineEntries(sprint) {
    return (state.timeline && state.timeline[sprint]) || [];
  }
  function updateTimeline(tl) {
    var entries = timelineEntries(tl.sprint);
    var sig = entries.length + '\u0000' + (entries.length ? entries[entries.length - 1].name + '\u0000' + entries[0].name : '');
    if (sig === tl.sig) return;
    tl.sig = sig;
    setText(tl.summary, 'Timeline · ' + entries.length + (entries.length === TIMELINE_LIMIT ? ' latest' : '') + (entries.length === 1 ? ' entry' : ' entries'));
    if (tl.filled || tl.details.open) fillTimeline(tl);
  }
  function fillTimeline(tl) {
    tl.filled = true;
    var entries = timelineEntries(tl.sprint);
    var names = {};
    var nodes = entries.slice().reverse().map(function (e) {
      names[e.name] = true;
      var li = tl.items.get(e.name);
      if (!li) {
        li = entryItem(e);
        tl.items.set(e.name, li);
      }
      return li;
    });
    tl.items.forEach(function (_li, name) { if (!names[name]) tl.items.delete(name); });
    place(tl.ol, nodes);
  }
  function entryItem(e) {
    var body = el('div', { class: 'md' });
    body.innerHTML = e.body_html;
    return el('li', { class: 'sev-' + e.severity, dataset: { entry: e.name } },
      el('div', { class: 'tl-head' },
        el('span', { text: '#' + e.seq }),
        el('time', { datetime: e.timestamp, text: String(e.timestamp).replace('T', ' ').replace(/:\d\dZ$/, 'Z') }),
        el('span', { class: 'who', text: e.agent }),
        el('span', { class: 'chip', text: e.status }),
        e.severity !== 'INFO' ? severityPill(e.severity) : null,
        e.title ? el('span', { text: e.title }) : null),
      body);
  }

  /**
   * A sprint card: one <article> per sprint for the page's life. When its row (or the heartbeat
   * of one of its agents) changes, its parts are rebuilt in place; its timeline stays.
   */
  var cards = new Map();
  function cardNode(row, agents) {
    var full = row.agents.map(function (a) { return agents[row.sprint + '\u0000' + a.agent] || null; });
    var card = cards.get(row.sprint);
    if (!card) {
      card = { node: el('article', { class: 'card' }), sig: null, row: null, full: [], ticks: [], tl: null };
      cards.set(row.sprint, card);
    }
    // The same objects as last time (no state event since): nothing to compare.
    var same = card.row === row && card.full.length === full.length && full.every(function (a, i) { return a === card.full[i]; });
    if (!same) {
      card.row = row;
      card.full = full;
      var sig = JSON.stringify([row, full]);
      if (card.sig !== sig) {
        card.sig = sig;
        fillCard(card, row, full);
      }
    }
    if (row.agents.length > 0 || (state.timeline && state.timeline[row.sprint])) {
      if (!card.tl) {
        card.tl = timelineOf(row.sprint);
        card.node.appendChild(card.tl.details);
      }
      updateTimeline(card.tl);
    } else if (card.tl) {
      card.tl.details.remove();
      card.tl = null;
    }
    return card.node;
  }
  function fillCard(card, row, full) {
    var node = card.node;
    node.dataset.sprint = row.sprint;
    node.dataset.state = row.state;
    setAttr(node, 'aria-label', row.sprint + ', ' + row.state);
    var ticks = [];
    var sev = row.severity && row.severity !== 'INFO' ? row.severity : null;
    var updated = row.updated ? el('time', { class: 'updated', datetime: row.updated, title: row.updated }) : null;
    if (updated) ticks.push(function () { setText(updated, ago(row.updated)); });
    var planned = row.plan ? el('p', { class: 'planned' }, 'plan ', el('strong', { text: row.plan }),
      row.waiting_on && row.waiting_on.length ? ' · waits on ' + row.waiting_on.join(', ') : row.state === 'READY' ? ' · ready to dispatch' : null) : null;
    var made = [
      el('header', null,
        el('span', { class: 'name', text: row.sprint }),
        sev ? severityPill(sev) : null,
        updated),
      planned,
      el('ul', { class: 'agents' }, row.agents.map(function (a, i) {
        return heartbeat(full[i] || { agent: a.agent, sprint: row.sprint, status: a.status, heartbeat: a.heartbeat, ttl_minutes: 0, stale: a.stale }, false, ticks);
      })),
      row.flags.length ? el('div', { class: 'flags' }, row.flags.map(function (f) { return el('span', { class: 'chip', text: f }); })) : null,
    ].filter(Boolean);
    // Everything but the timeline goes; the new parts go before it (the timeline is not moved).
    var keep = card.tl ? card.tl.details : null;
    var child = node.firstChild;
    while (child) {
      var next = child.nextSibling;
      if (child !== keep) node.removeChild(child);
      child = next;
    }
    made.forEach(function (part) { node.insertBefore(part, keep); });
    ticks.forEach(function (fn) { fn(); });
    card.ticks = ticks;
  }

  var columns = new Map();
  function columnNode(s) {
    var col = columns.get(s);
    if (!col) {
      col = { n: el('span', { class: 'n' }), cards: el('div', { class: 'cards' }) };
      col.node = el('section', { class: 'column', dataset: { state: s }, 'aria-label': s + ' sprints' },
        el('h3', null, el('span', { text: s.replace('_', ' ') }), col.n), col.cards);
      columns.set(s, col);
    }
    return col;
  }

  function columnsView() {
    var p = parts.sprints;
    var rows = state.sprints.filter(sprintShown);
    var groups = {};
    rows.forEach(function (row) { (groups[row.state] = groups[row.state] || []).push(row); });
    var order = STATES.filter(function (s) { return groups[s]; }).concat(Object.keys(groups).filter(function (s) { return STATES.indexOf(s) < 0; }).sort());
    setText(p.h2, 'Sprints (' + rows.length + ')');
    if (order.length === 0) {
      setText(p.empty, state.sprints.length === 0 ? 'No sprints yet. Post the first entry: cos post --sprint my-sprint --agent me --status IN_PROGRESS' : 'No sprint matches the filters.');
      place(p.section, [p.h2, p.empty]);
    } else {
      var agents = agentsByKey();
      place(p.columns, order.map(function (s) {
        var col = columnNode(s);
        setText(col.n, String(groups[s].length));
        place(col.cards, groups[s].map(function (row) { return cardNode(row, agents); }));
        return col.node;
      }));
      place(p.section, [p.h2, p.columns]);
    }
    // A sprint that is gone from the state is forgotten; one only filtered out is kept.
    var present = {};
    state.sprints.forEach(function (row) { present[row.sprint] = true; });
    cards.forEach(function (card, sprint) {
      if (!present[sprint]) {
        cards.delete(sprint);
        timelines.delete(sprint);
      }
    });
  }

  var agentRecords = keyed();
  function agentsView() {
    var p = parts.agents;
    var list = (state.agents || []).filter(function (a) { return HOLDING[a.status] && agentShown(a); });
    list.sort(function (a, b) { return Date.parse(a.expires) - Date.parse(b.expires); });
    setText(p.h2, 'Agents holding a sprint (' + list.length + ')');
    if (list.length === 0) place(p.section, [p.h2, p.empty]);
    else {
      place(p.ul, list.map(function (a) {
        return agentRecords.node(a.sprint + '\u0000' + a.agent, JSON.stringify(a), function (item, ticks) { return heartbeat(item, true, ticks); }, a);
      }));
      place(p.section, [p.h2, p.ul]);
    }
    agentRecords.sweep();
  }

  /**
   * Path leases (cos lease): who holds which paths, until when. A lease past its time is shown as
   * expired until the next change drops it (the page's clock ticks on; the server's does not
   * re-evaluate for a lease alone). A lease that can match a path another agent's lease matches
   * (a lease-conflict finding) is marked.
   */
  function leaseItem(item, ticks) {
    var l = item.lease;
    var until = el('time', { class: 'until', datetime: l.until, title: l.until + ' (' + l.file + ')' });
    var li = el('li', { class: 'lease', dataset: { agent: l.agent, sprint: l.sprint, pattern: l.pattern } },
      el('code', { class: 'pattern', text: l.pattern }),
      el('span', { class: 'who' }, l.agent, el('span', { class: 'where', text: ' on ' + l.sprint })),
      until,
      item.conflict ? el('span', { class: 'pill sev-URGENT', text: 'conflict' }) : null);
    var tick = function () {
      var left = Date.parse(l.until) - now();
      var expired = left < 0;
      setClass(li, 'lease' + (expired ? ' expired' : '') + (item.conflict ? ' conflict' : ''));
      setText(until, expired ? 'expired ' + age(-left) + ' ago' : 'until ' + l.until.slice(11, 16) + ' UTC · ' + age(left) + ' left');
    };
    tick();
    ticks.push(tick);
    return li;
  }

  var leaseRecords = keyed();
  function leasesView() {
    var p = parts.leases;
    var conflicting = {};
    (state.lease_conflicts || []).forEach(function (c) {
      [c.a, c.b].forEach(function (l) { conflicting[l.file + '\u0000' + l.pattern] = true; });
    });
    var list = (state.leases || []).filter(agentShown);
    setText(p.h2, 'Path leases (' + list.length + ')');
    if (list.length === 0) {
      setText(p.empty, (state.leases || []).length === 0 ? 'No live leases (cos lease --sprint S --agent A PATTERN takes one).' : 'No lease matches the filters.');
      place(p.section, [p.h2, p.empty]);
    } else {
      place(p.ul, list.map(function (l) {
        var item = { lease: l, conflict: conflicting[l.file + '\u0000' + l.pattern] === true };
        return leaseRecords.node(l.file + '\u0000' + l.pattern + '\u0000' + l.agent + '\u0000' + l.sprint, JSON.stringify(item), leaseItem, item);
      }));
      place(p.section, [p.h2, p.ul]);
    }
    leaseRecords.sweep();
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

  function planSection(data) {
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

  /** The graph is drawn again only when its nodes, states or edges changed. */
  function planView() {
    var data = planData();
    var sig = JSON.stringify(data);
    if (sig === parts.planSig) return;
    parts.planSig = sig;
    var section = planSection(data);
    parts.plan.replaceWith(section);
    parts.plan = section;
  }

  // ---- shell and rendering -----------------------------------------------------------------
  var shell = {};
  function select(name, label, options) {
    var node = el('select', { id: 'filter-' + name, name: name, onchange: function () { filters[name] = node.value; render(); } });
    shell[name] = node;
    setOptions(node, options);
    return el('label', { for: 'filter-' + name }, label, node);
  }
  /** The options of a filter, each kept by its value (a new sprint adds one <option>, not a thousand). */
  var optionNodes = new Map();
  function setOptions(node, options) {
    var signature = options.join('\u0001');
    if (node.cosOptions === signature) return;
    node.cosOptions = signature;
    var value = node.value;
    var made = optionNodes.get(node) || new Map();
    var keep = new Map();
    place(node, options.map(function (o) {
      var key = o[0] + '\u0000' + o[1];
      var option = made.get(key) || el('option', { value: o[0], text: o[1] });
      keep.set(key, option);
      return option;
    }));
    optionNodes.set(node, keep);
    node.value = options.some(function (o) { return o[0] === value; }) ? value : '';
    filters[node.name] = node.value;
  }
  // Made again only when a state event brought new sprint rows.
  var optionsOf = { sprints: null, sprint: null, agent: null };
  function filterOptions() {
    if (optionsOf.sprints === state.sprints) return optionsOf;
    var seen = {};
    state.sprints.forEach(function (r) { r.agents.forEach(function (a) { seen[a.agent] = true; }); });
    optionsOf = {
      sprints: state.sprints,
      sprint: [['', 'All sprints']].concat(state.sprints.map(function (r) { return r.sprint; }).sort().map(function (s) { return [s, s]; })),
      agent: [['', 'All agents']].concat(Object.keys(seen).sort().map(function (a) { return [a, a]; })),
    };
    return optionsOf;
  }
  function sprintOptions() {
    return filterOptions().sprint;
  }
  function agentOptions() {
    return filterOptions().agent;
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
    // The sections' fixed parts, made once; their contents are kept up to date in place.
    parts = {
      findings: { h2: el('h2', { id: 'findings-h' }), clear: el('div', { class: 'all-clear' }), ol: el('ol'), more: el('p', { class: 'more' }) },
      sprints: { h2: el('h2', { id: 'sprints-h' }), empty: el('p', { class: 'empty' }), columns: el('div', { class: 'columns' }) },
      agents: { h2: el('h2', { id: 'agents-h' }), empty: el('p', { class: 'empty', text: 'No agent holds a sprint.' }), ul: el('ul', { class: 'agents' }) },
      leases: { h2: el('h2', { id: 'leases-h' }), empty: el('p', { class: 'empty' }), ul: el('ul', { class: 'leases' }) },
      plan: el('section', { class: 'panel graph', id: 'plan' }),
      planSig: null,
    };
    parts.findings.section = el('section', { class: 'findings', id: 'findings', 'aria-labelledby': 'findings-h' });
    parts.sprints.section = el('section', { class: 'board', id: 'sprints', 'aria-labelledby': 'sprints-h' });
    parts.agents.section = el('section', { class: 'panel', id: 'agents', 'aria-labelledby': 'agents-h' });
    parts.leases.section = el('section', { class: 'panel', id: 'leases', 'aria-labelledby': 'leases-h' });
    shell.main.replaceChildren(parts.findings.section, parts.sprints.section,
      el('div', { class: 'lower' }, el('div', { class: 'side' }, parts.agents.section, parts.leases.section), parts.plan));
  }

  var liveMode = snapshot ? 'snapshot' : 'connecting';
  function setLive(mode) {
    liveMode = mode;
    if (!shell.live || !state) return;
    shell.live.dataset.live = mode;
    setText(shell.live, { live: 'Live', reconnecting: 'Reconnecting…', connecting: 'Connecting…' }[mode] || 'Snapshot of ' + state.generated_at.replace('T', ' '));
  }

  /**
   * Runs `update` and gives the focus back if it took it: a focused node that had to move (its
   * own card changed column) is focused again; one that was replaced is found by its data-key.
   */
  function keepingFocus(update) {
    var active = document.activeElement;
    var inMain = active && active !== document.body && shell.main.contains(active);
    var holder = inMain && active.closest('[data-key]');
    var focusKey = holder ? holder.dataset.key : null;
    update();
    if (!inMain || document.activeElement === active) return;
    if (active.isConnected) active.focus({ preventScroll: true });
    else if (focusKey) {
      var again = shell.main.querySelector('[data-key="' + (window.CSS && CSS.escape ? CSS.escape(focusKey) : focusKey) + '"] > summary');
      if (again) again.focus({ preventScroll: true });
    }
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
    setCounts();
    keepingFocus(function () {
      findingsView();
      columnsView();
      agentsView();
      leasesView();
      planView();
    });
    setTitle();
  }
  function setCounts() {
    setText(shell.counts, count(state.sprints.length, 'sprint', 'sprints') + ' · ' + count(state.findings.length, 'open finding', 'open findings') + ' · ' + count(state.entries, 'entry', 'entries'));
  }
  function setTitle() {
    var title = (state.findings.some(function (f) { return rank(f.severity) >= 2; }) ? '(!) ' : '') + 'cos board' + (state.repository ? ' · ' + state.repository : '');
    if (document.title !== title) document.title = title;
  }
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(render);
  }
  /** Every 10 s: ages and heartbeat bars in place, and the banner drops its "fresh" marks. */
  function tick() {
    if (!state || !shell.main) return;
    cards.forEach(function (card) {
      if (card.node.isConnected) card.ticks.forEach(function (fn) { fn(); });
    });
    agentRecords.tick();
    leaseRecords.tick();
    findingsView();
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
    // The sprint's timeline and the count at once; what else the entry changed (its card, its
    // column) comes with the `state` event that follows it.
    var tl = timelines.get(e.sprint);
    if (!shell.main || !tl || !cards.has(e.sprint)) {
      schedule();
      return;
    }
    keepingFocus(function () { updateTimeline(tl); });
    setCounts();
  }
  /** The banner at once (not on the next frame: an escalation must show even in a background tab). */
  function renderFindings() {
    if (!shell.main) {
      render();
      return;
    }
    keepingFocus(findingsView);
    setTitle();
    // The cards' severities and the columns follow with the `state` event the server sends after
    // every change of the open findings.
    setCounts();
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
    setInterval(tick, TICK_MS);
  }
})();
