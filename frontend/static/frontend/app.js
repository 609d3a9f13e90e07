// Registers the service worker (frontend/installable_app.py): the site becomes installable and
// shows an offline page when the network is down. Pages work the same without it.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  });
})();
