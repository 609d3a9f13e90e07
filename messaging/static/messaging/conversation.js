/* Tandem: the conversation page, live.
 *
 * Without this script the page is a list and a form that posts. With it:
 * - a WebSocket to /ws/conversations/<id>/ brings new messages as they are sent;
 * - the resume rule (docs/MESSAGING.md): messages are numbered 1, 2, 3… in each conversation
 *   (`seq`); the page keeps the last number up to which it has every message, and asks for
 *   everything after it ({"type": "sync", "after_seq": n}) on every (re)connection, on
 *   `delivery: live`, and whenever a number arrives beyond n + 1 (a gap); it shows each
 *   message once (by id), in id order;
 * - a lost connection is retried with exponential back-off and jitter; while the socket cannot
 *   open, the REST API is polled at the same pace, so the page also works where WebSockets are
 *   blocked; the browser's offline/online events close and reopen at once;
 * - messages written offline wait, and are sent again with the same client_id (never twice);
 * - the connection state is shown in an aria-live region; "Seen" follows the others' reading.
 * Every text comes translated from the page (json_script "messaging-config").
 */
(function () {
  "use strict";

  var configElement = document.getElementById("messaging-config");
  var list = document.getElementById("messages");
  var form = document.getElementById("message-form");
  var stateElement = document.getElementById("connection-state");
  if (!configElement || !list || !form || !stateElement) { return; }

  var config = JSON.parse(configElement.textContent);
  var text = config.strings;
  var textarea = form.querySelector("textarea[name=body]");
  var csrfInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  var RETRY_BASE_MS = 1000;
  var RETRY_MAX_MS = 30000;
  var CLOSE_NOT_AUTHENTICATED = 4401;
  var CLOSE_FORBIDDEN = 4403;

  var socket = null;
  var opened = false;          // did the current socket ever open?
  var attempt = 0;             // failed attempts since the last successful connection
  var retryTimer = null;
  var stopped = false;         // signed out or no access: no more retries
  var lastId = config.last_id || 0;
  var lastSeq = config.last_seq || 0;   // every message numbered up to this one is shown
  var aheadSeqs = {};          // numbers received beyond lastSeq + 1, waiting for the gap
  var syncing = false;         // a sync is on its way: gaps wait for its "synced"
  var readPositions = {};      // other participant id -> last message id they read
  var lastReadSent = 0;
  var pending = {};            // client_id -> {body, element}
  var timeFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit",
    timeZone: "Europe/Brussels"
  });

  config.others.forEach(function (userId) { readPositions[userId] = config.read_by_others; });

  function setState(state, message) {
    stateElement.dataset.state = state;
    var value = message || text[state] || "";
    if (stateElement.textContent !== value) { stateElement.textContent = value; }
  }

  function uuid4() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // --- Rendering ---------------------------------------------------------------------------

  function senderName(senderId) {
    if (senderId === config.user) { return text.you; }
    if (senderId === null || senderId === undefined) { return text.former_member; }
    return config.names[String(senderId)] || text.former_member;
  }

  function buildItem(message, isPending) {
    var item = document.createElement("li");
    var mine = message.sender === config.user;
    item.className = "message" + (mine ? " message--mine" : "") +
      (isPending ? " message--pending" : "");
    if (message.id) {
      item.id = "message-" + message.id;
      item.dataset.id = String(message.id);
    }
    item.dataset.sender = message.sender === null ? "" : String(message.sender);
    var meta = document.createElement("p");
    meta.className = "message__meta";
    var name = document.createElement("span");
    name.className = "message__sender";
    name.textContent = senderName(message.sender);
    meta.appendChild(name);
    if (message.created_at) {
      var time = document.createElement("time");
      time.dateTime = message.created_at;
      time.textContent = timeFormat.format(new Date(message.created_at));
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(time);
    }
    var body = document.createElement("p");
    body.className = "message__body";
    body.textContent = message.body;   // text, never HTML
    item.appendChild(meta);
    item.appendChild(body);
    if (isPending) {
      var status = document.createElement("p");
      status.className = "message__status";
      status.textContent = text.sending;
      item.appendChild(status);
    }
    return item;
  }

  function removeEmptyNote() {
    var empty = list.querySelector(".messages__empty");
    if (empty) { empty.remove(); }
  }

  /* Follows the numbers: moves lastSeq forward over what is contiguous, and asks for what a
     gap says is missing (the resume rule). */
  function noteSeq(seq) {
    if (typeof seq !== "number" || seq <= lastSeq) { return; }
    if (seq > lastSeq + 1) {
      aheadSeqs[seq] = true;
      requestSync();
      return;
    }
    lastSeq = seq;
    while (aheadSeqs[lastSeq + 1]) { delete aheadSeqs[lastSeq + 1]; lastSeq += 1; }
  }

  function requestSync() {
    if (syncing || !isOpen()) { return; }
    syncing = true;
    socket.send(JSON.stringify({ type: "sync", after_seq: lastSeq }));
  }

  /* Shows a stored message once, in id order; replaces the pending copy of one's own. */
  function showMessage(message) {
    noteSeq(message.seq);
    var waiting = pending[message.client_id];
    if (waiting && message.sender === config.user) {
      waiting.element.remove();
      delete pending[message.client_id];
    }
    if (document.getElementById("message-" + message.id)) { return; }
    removeEmptyNote();
    var item = buildItem(message, false);
    var items = list.querySelectorAll("li[data-id]");
    var before = null;
    for (var index = items.length - 1; index >= 0; index -= 1) {
      if (Number(items[index].dataset.id) > message.id) { before = items[index]; } else { break; }
    }
    var firstPending = list.querySelector("li.message--pending");
    list.insertBefore(item, before || firstPending);
    if (message.id > lastId) { lastId = message.id; }
    updateSeen();
    if (message.sender !== config.user) { markRead(); }
  }

  function updateSeen() {
    var positions = Object.keys(readPositions).map(function (key) { return readPositions[key]; });
    var readByAll = positions.length ? Math.min.apply(null, positions) : 0;
    var mine = list.querySelectorAll("li.message--mine[data-id]");
    var target = null;
    for (var index = mine.length - 1; index >= 0; index -= 1) {
      if (Number(mine[index].dataset.id) <= readByAll) { target = mine[index]; break; }
    }
    var current = list.querySelector(".message__read");
    if (current && current.parentElement === target) { return; }
    if (current) { current.remove(); }
    if (target) {
      var seen = document.createElement("p");
      seen.className = "message__read";
      seen.textContent = text.seen;
      target.appendChild(seen);
    }
  }

  function markRead() {
    if (document.visibilityState !== "visible" || !isOpen() || lastId <= lastReadSent) { return; }
    lastReadSent = lastId;
    socket.send(JSON.stringify({ type: "read", up_to: lastId }));
  }

  // --- Socket ------------------------------------------------------------------------------

  function isOpen() { return socket !== null && socket.readyState === WebSocket.OPEN; }

  function socketUrl() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + config.socket_path;
  }

  function connect() {
    if (stopped || socket !== null) { return; }
    clearTimeout(retryTimer);
    if (navigator.onLine === false) { setState("offline"); return; }
    setState("connecting");
    opened = false;
    var current = new WebSocket(socketUrl());
    socket = current;
    current.onopen = function () {
      opened = true;
      attempt = 0;
      setState("live");
      syncing = false;
      requestSync();
      Object.keys(pending).forEach(sendPending);
      markRead();
    };
    current.onmessage = function (event) { handleFrame(JSON.parse(event.data)); };
    current.onclose = function (event) {
      if (socket !== current) { return; }
      socket = null;
      if (event.code === CLOSE_NOT_AUTHENTICATED) { stop("signed_out"); return; }
      if (event.code === CLOSE_FORBIDDEN) { stop("forbidden"); return; }
      if (navigator.onLine === false) { setState("offline"); return; }
      scheduleRetry(!opened);
    };
  }

  function stop(state) {
    stopped = true;
    clearTimeout(retryTimer);
    setState(state);
    if (socket) { socket.close(); socket = null; }
  }

  /* After a failure: wait a random time up to base × 2^attempt (capped). If the socket did
     not even open (refused, blocked by a proxy), fetch what was missed over HTTP meanwhile. */
  function scheduleRetry(neverOpened) {
    var ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * Math.pow(2, attempt));
    var delay = Math.max(250, Math.random() * ceiling);
    attempt += 1;
    setState(neverOpened && attempt > 2 ? "polling" : "reconnecting",
      (neverOpened && attempt > 2 ? text.polling : text.reconnecting)
        .replace("%(seconds)s", String(Math.ceil(delay / 1000))));
    if (neverOpened) { catchUpOverHttp(); }
    retryTimer = setTimeout(connect, delay);
  }

  function catchUpOverHttp() {
    fetch(config.api_path + "?after_seq=" + lastSeq + "&limit=200", {
      credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) {
      if (response.status === 401 || response.status === 403) { stop("signed_out"); return null; }
      if (response.status === 404) { stop("forbidden"); return null; }
      return response.ok ? response.json() : null;
    }).then(function (messages) {
      if (messages) { messages.forEach(showMessage); }
    }).catch(function () { /* offline: the next attempt tries again */ });
  }

  function handleFrame(frame) {
    switch (frame.type) {
      case "message":
        showMessage(frame.message);
        break;
      case "ack":
        showMessage(frame.message);
        if (frame.delivery === "degraded") { setState("degraded"); }
        break;
      case "read":
        if (frame.user !== config.user && frame.user in readPositions) {
          readPositions[frame.user] = Math.max(readPositions[frame.user], frame.up_to);
          updateSeen();
        }
        break;
      case "delivery":
        if (frame.state === "live") {
          setState("live");
          syncing = false;
          requestSync();
        } else {
          setState("degraded");
        }
        break;
      case "synced":
        // Everything after the number asked for has come: contiguous up to last_seq.
        syncing = false;
        if (typeof frame.last_seq === "number" && frame.last_seq > lastSeq) {
          lastSeq = frame.last_seq;
          Object.keys(aheadSeqs).forEach(function (seq) {
            if (Number(seq) <= lastSeq) { delete aheadSeqs[seq]; }
          });
        }
        if (Object.keys(aheadSeqs).length) { requestSync(); }
        break;
      case "error":
        if (frame.code === "invalid_after") { syncing = false; }
        showError(frame);
        break;
      default:
        break;   // pong, and anything newer than this script
    }
  }

  function showError(frame) {
    var waiting = frame.client_id && pending[frame.client_id];
    if (!waiting) { return; }
    var status = waiting.element.querySelector(".message__status");
    if (frame.code === "rate_limited") {
      status.textContent = text.rate_limited;
      setTimeout(function () { sendPending(frame.client_id); }, (frame.retry_after || 2) * 1000);
      return;
    }
    status.textContent = text.error + " " + frame.detail;
    delete pending[frame.client_id];
  }

  // --- Sending -----------------------------------------------------------------------------

  function sendPending(clientId) {
    var waiting = pending[clientId];
    if (!waiting) { return; }
    if (isOpen()) {
      socket.send(JSON.stringify({ type: "message", body: waiting.body, client_id: clientId }));
      return;
    }
    if (navigator.onLine === false || socket !== null) {
      waiting.element.querySelector(".message__status").textContent = text.not_sent;
      return;
    }
    // No socket (WebSockets blocked or reconnecting): send over HTTP, same client_id.
    fetch(config.api_path, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfInput ? csrfInput.value : ""
      },
      body: JSON.stringify({ body: waiting.body, client_id: clientId })
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (result.ok) {
        showMessage(result.data);
        if (result.data.delivery === "degraded") { setState("degraded"); }
      } else {
        var detail = result.data.detail || (result.data.body || []).join(" ");
        showError({ client_id: clientId, code: result.data.code, detail: detail,
          retry_after: result.data.retry_after });
      }
    }).catch(function () {
      waiting.element.querySelector(".message__status").textContent = text.not_sent;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!textarea.value.trim()) { textarea.focus(); form.reportValidity(); return; }
    var clientId = uuid4();
    var element = buildItem({ sender: config.user, body: textarea.value }, true);
    removeEmptyNote();
    list.appendChild(element);
    pending[clientId] = { body: textarea.value, element: element };
    textarea.value = "";
    sendPending(clientId);
    element.scrollIntoView({ block: "nearest" });
  });

  window.addEventListener("offline", function () {
    // Do not wait for the socket to time out: show it now, and reconnect on "online".
    clearTimeout(retryTimer);
    if (socket) { var current = socket; socket = null; current.close(); }
    if (!stopped) { setState("offline"); }
  });
  window.addEventListener("online", function () {
    attempt = 0;
    connect();
  });
  document.addEventListener("visibilitychange", markRead);

  var refresh = document.getElementById("latest");
  if (refresh) { refresh.hidden = true; }   // the list updates itself now
  connect();
}());
