// The plan on a Leaflet map: each route a coloured line through its stops, each
// place labelled with its name. Tiles only when the server was given a tile
// URL; otherwise a light background, and the lines and names still tell the day.
(function () {
  "use strict";
  var el = document.getElementById("board-map-data");
  var box = document.getElementById("map");
  if (!el || !box || typeof L === "undefined") return;
  var data = JSON.parse(el.textContent);
  if (!data) return;

  // The same colours as the timeline's c0…c7 (board.css), dark enough on white.
  var colours = ["#0b5cad", "#b3261e", "#1e6b34", "#7a3e9d", "#8a4b00", "#00696b", "#a0146a", "#4a5560"];

  var map = L.map(box, { attributionControl: !!data.tiles, scrollWheelZoom: false, zoomSnap: 0.25 });
  if (data.tiles) {
    L.tileLayer(data.tiles, { maxZoom: 19, attribution: data.attribution }).addTo(map);
  } else {
    box.classList.add("no-tiles");
  }

  var bounds = [];
  var named = {};
  function label(p) {
    if (!p.landmark) return;
    var key = p.lat.toFixed(5) + "," + p.lon.toFixed(5);
    if (named[key]) return;
    named[key] = true;
    L.tooltip({ permanent: true, direction: "right", offset: [6, 0], className: "place-label" })
      .setLatLng([p.lat, p.lon]).setContent(esc(p.name)).addTo(map);
  }
  function esc(s) {
    var d = document.createElement("div");
    d.textContent = s;
    return d.innerHTML;
  }

  data.routes.forEach(function (r) {
    var colour = colours[r.colour % colours.length];
    var line = r.points.map(function (p) { return [p.lat, p.lon]; });
    if (line.length > 1) {
      L.polyline(line, { color: colour, weight: 4, opacity: 0.85 }).bindTooltip(esc(r.name), { sticky: true }).addTo(map);
    }
    r.points.forEach(function (p, i) {
      var depot = i === 0 || i === r.points.length - 1;
      L.circleMarker([p.lat, p.lon], {
        radius: depot ? 8 : 6, color: colour, weight: 2, fillColor: depot ? colour : "#ffffff", fillOpacity: 1
      }).bindTooltip(esc(p.name + " — " + p.detail)).addTo(map);
      label(p);
      bounds.push([p.lat, p.lon]);
    });
  });
  data.unassigned.forEach(function (p) {
    L.circleMarker([p.lat, p.lon], { radius: 7, color: "#b00020", weight: 3, dashArray: "3 3", fillOpacity: 0 })
      .bindTooltip(esc(p.detail)).addTo(map);
    label(p);
    bounds.push([p.lat, p.lon]);
  });

  if (bounds.length) map.fitBounds(bounds, { padding: [30, 30] });
  else map.setView([44.27, 9.4], 13);
})();
