/* Tiled maps: a progressive enhancement of the server-drawn SVG maps (frontend/maps.py).
 *
 * Loaded only where the deployer configured a tile server (MAP_TILE_URL), after Leaflet. For each
 * map it builds a Leaflet map from the points of the SVG itself (kilometres in the projection
 * given in data-projection, turned back into degrees here), hidden over the SVG, and shows it once
 * a first tile has arrived. If no tile arrives (server down, blocked, offline), the Leaflet map is
 * removed and the SVG stays: the page never depends on the tile server. The text alternative next
 * to the map is untouched either way.
 */
(function () {
  "use strict";
  if (typeof window.L === "undefined") {
    return;
  }

  function number(element, name) {
    return parseFloat(element.getAttribute(name));
  }

  function enhance(canvas) {
    var svg = canvas.querySelector("svg");
    var projection = canvas.getAttribute("data-projection").split(" ").map(parseFloat);
    // x km east and y km south of the origin -> [latitude, longitude].
    function toLatLng(x, y) {
      return [projection[1] - y / projection[3], projection[0] + x / projection[2]];
    }
    var view = svg.getAttribute("viewBox").split(" ").map(parseFloat);

    var holder = document.createElement("div");
    holder.className = "map-tiles map-tiles--waiting";
    canvas.appendChild(holder);
    var map = L.map(holder, {
      keyboard: false,
      scrollWheelZoom: false,
      zoomControl: false,
      zoomSnap: 0.25,
    });
    L.control
      .zoom({
        zoomInTitle: canvas.getAttribute("data-zoom-in"),
        zoomOutTitle: canvas.getAttribute("data-zoom-out"),
      })
      .addTo(map);
    map.fitBounds([toLatLng(view[0], view[1] + view[3]), toLatLng(view[0] + view[2], view[1])]);

    var arrived = 0;
    var tiles = L.tileLayer(canvas.getAttribute("data-tile-url"), {
      // The deployer's text (MAP_TILE_ATTRIBUTION), as the tile server's licence asks.
      attribution: canvas.getAttribute("data-attribution"),
      maxZoom: 18,
    });
    tiles.on("tileload", function () {
      arrived += 1;
      if (arrived === 1) {
        holder.classList.remove("map-tiles--waiting");
      }
    });
    // "load": every tile of the view has either arrived or failed.
    tiles.on("load", function () {
      if (arrived === 0) {
        // After Leaflet's own handling of this event, which still needs the map.
        window.setTimeout(function () {
          map.remove();
          holder.parentNode.removeChild(holder);
        }, 0);
      }
    });
    tiles.addTo(map);

    svg.querySelectorAll("circle[data-kind]").forEach(function (circle) {
      var kind = circle.getAttribute("data-kind");
      L.circle(toLatLng(number(circle, "cx"), number(circle, "cy")), {
        radius: number(circle, "r") * 1000,
        color: "#0b4a8b",
        weight: 3,
        fill: kind === "rough",
        fillOpacity: 0.15,
        dashArray: kind === "reach" ? "8 5" : null,
        interactive: false,
      }).addTo(map);
    });
    svg.querySelectorAll("g[data-kind] > g[transform]").forEach(function (marker) {
      // transform="translate(x y)", in km.
      var at = marker.getAttribute("transform").match(/translate\(([-\d.]+) ([-\d.]+)\)/);
      var place = toLatLng(parseFloat(at[1]), parseFloat(at[2]));
      var kind = marker.parentNode.getAttribute("data-kind");
      if (kind === "count") {
        var requests = parseFloat(marker.getAttribute("data-requests"));
        var helpers = parseFloat(marker.getAttribute("data-helpers"));
        if (requests) {
          L.circleMarker(place, {
            radius: 4 + 3 * Math.sqrt(requests),
            color: "#0b5132",
            fillOpacity: 0.6,
            interactive: false,
          }).addTo(map);
        }
        if (helpers) {
          L.circleMarker(place, {
            radius: 4 + 3 * Math.sqrt(helpers),
            color: "#0b4a8b",
            fill: false,
            dashArray: "3 3",
            interactive: false,
          }).addTo(map);
        }
        return;
      }
      var label = marker.querySelector("text");
      var pin = document.createElement("span");
      pin.textContent = label ? label.textContent : "";
      // Not interactive, no keyboard stop: the numbered list on the page is the way in.
      L.marker(place, {
        icon: L.divIcon({
          className: "map-pin map-pin--" + kind,
          html: pin,
          iconSize: [28, 28],
        }),
        interactive: false,
        keyboard: false,
      }).addTo(map);
    });
  }

  document.querySelectorAll(".map-canvas[data-tile-url]").forEach(enhance);
})();
