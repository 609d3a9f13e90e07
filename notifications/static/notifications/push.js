// "Notifications on this device" on the inbox page: subscribes this browser to Web Push with
// the server's VAPID key and gives the subscription to POST /api/push/subscriptions/.
// Shown only where the browser can do it and the server has push set up; without JavaScript
// the section stays hidden and the inbox works as before.
(function () {
  "use strict";
  var section = document.getElementById("push-section");
  if (!section || !("serviceWorker" in navigator) || !("PushManager" in window) ||
      !("Notification" in window)) return;
  var form = document.getElementById("push-form");
  var subscribeButton = document.getElementById("push-subscribe");
  var unsubscribeButton = document.getElementById("push-unsubscribe");
  var state = document.getElementById("push-state");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var STORED_ID = "tandem-push-subscription";
  var publicKey = null;

  function say(name) { state.textContent = section.getAttribute("data-text-" + name) || ""; }
  function showOn(on) {
    subscribeButton.hidden = on;
    unsubscribeButton.hidden = !on;
  }
  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4))
      .replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }
  function api(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: body ? JSON.stringify(body) : undefined
    });
  }

  fetch("/api/push/public-key/", { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (body) {
      if (!body || !body.key) return;
      publicKey = body.key;
      section.hidden = false;
      return navigator.serviceWorker.ready.then(function (registration) {
        return registration.pushManager.getSubscription();
      }).then(function (existing) { showOn(Boolean(existing)); });
    })
    .catch(function () {});

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { say("refused"); throw null; }
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      return registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: keyBytes(publicKey)
      });
    }).then(function (subscription) {
      return api("POST", "/api/push/subscriptions/", subscription.toJSON());
    }).then(function (response) {
      if (!response.ok) throw new Error("refused by the server");
      return response.json();
    }).then(function (saved) {
      try { window.localStorage.setItem(STORED_ID, String(saved.id)); } catch (error) {}
      showOn(true);
      say("on");
    }).catch(function (error) { if (error !== null) say("failed"); });
  });

  unsubscribeButton.addEventListener("click", function () {
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.pushManager.getSubscription();
    }).then(function (subscription) {
      var id = null;
      try { id = window.localStorage.getItem(STORED_ID); } catch (error) {}
      var forget = id ? api("DELETE", "/api/push/subscriptions/" + id + "/") : Promise.resolve();
      return forget.then(function () { return subscription ? subscription.unsubscribe() : true; });
    }).then(function () {
      try { window.localStorage.removeItem(STORED_ID); } catch (error) {}
      showOn(false);
      say("off");
    }).catch(function () { say("failed"); });
  });
})();
