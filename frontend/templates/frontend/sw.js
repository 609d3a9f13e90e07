// Tandem's service worker (served at /sw.js so that it covers the whole site).
//
// What it keeps: the site's static files (style sheet, scripts, icons) and the offline page,
// nothing else. Pages, API answers and anything about a person are never cached: they go to
// the network, and when the network is down a page request gets the offline page.
// It also shows Web Push messages (notifications/push_messages.py) and opens their link.
"use strict";

var CACHE = "tandem-static-{{ version }}";
var OFFLINE_URL = "{% url 'frontend:offline' %}";
var PRECACHE = [
  OFFLINE_URL,
  "{{ static_urls.site_css }}",
  "{{ static_urls.icon_192 }}",
  "{{ static_urls.icon_512 }}"
];
var STATIC_PREFIX = "{{ static_prefix }}";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      // The offline page is fetched without cookies: it must never hold anyone's data.
      return Promise.all(PRECACHE.map(function (url) {
        return fetch(url, { credentials: "omit" }).then(function (response) {
          if (response.ok) return cache.put(url, response);
        });
      }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("tandem-static-") === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf(STATIC_PREFIX) === 0) {
    // Static files only: their names change with their content (hashed by collectstatic).
    event.respondWith(
      caches.open(CACHE).then(function (cache) {
        return cache.match(request).then(function (hit) {
          if (hit) return hit;
          return fetch(request).then(function (response) {
            if (response.ok) cache.put(request, response.clone());
            return response;
          });
        });
      })
    );
    return;
  }
  if (request.mode === "navigate") {
    // Pages: always from the network (never stored); the offline page when it is down.
    event.respondWith(
      fetch(request).catch(function () {
        return caches.open(CACHE).then(function (cache) { return cache.match(OFFLINE_URL); });
      })
    );
  }
});

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = {}; }
  var title = data.title || "Tandem";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || "",
      // The same notification pushed twice (a retried job) replaces itself.
      tag: data.id ? "notification-" + data.id : undefined,
      icon: "{{ static_urls.icon_192 }}",
      data: { url: data.url || "/" }
    })
  );
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) target = new URL("/", self.location.origin);
  event.waitUntil(self.clients.openWindow(target.href));
});
