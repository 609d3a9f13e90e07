// The bell's live number: listens on /ws/notifications/ and, when a notification arrives,
// asks the server for the count again (the server's number is the truth; the page rendered it).
(function () {
  "use strict";
  var bell = document.getElementById("notification-bell");
  if (!bell || !window.WebSocket) return;
  var count = bell.querySelector("[data-unread-count]");
  var label = bell.getAttribute("data-label-template") || "";

  function show(number) {
    count.textContent = String(number);
    bell.classList.toggle("bell--unread", number > 0);
    if (label) bell.setAttribute("aria-label", label.replace("__count__", String(number)));
  }

  function refresh() {
    fetch("/api/notifications/unread-count/", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body) show(body.count); })
      .catch(function () {});
  }

  var delay = 1000;
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/notifications/");
    socket.onopen = function () { delay = 1000; refresh(); };
    socket.onmessage = function (message) {
      var frame;
      try { frame = JSON.parse(message.data); } catch (error) { return; }
      if (frame.type === "notification.created") refresh();
    };
    socket.onclose = function (event) {
      if (event.code === 4401 || event.code === 4403) return;  // signed out: stay quiet
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
