// jixiao site: highlight the line a link points at (#L<n>) and mark the figure's characters (?m=start-end,…);
// filter and sort the findings. No network, no libraries: the site opens from disk.
"use strict";

function markCharacters(line, spec) {
  // spec "a-b,c-d": code-point offsets in the line's text (Python counts code points, so use Array.from)
  var t = line.querySelector(".t");
  if (!t || !spec || line.dataset.marked === spec) return;
  var chars = Array.from(line.dataset.text || t.textContent);
  line.dataset.text = chars.join("");
  var spans = spec.split(",").map(function (s) { return s.split("-").map(Number); })
    .filter(function (p) { return p.length === 2 && p[0] >= 0 && p[1] > p[0]; })
    .sort(function (a, b) { return a[0] - b[0]; });
  t.textContent = "";
  var at = 0;
  spans.forEach(function (p) {
    if (p[0] < at) return;
    t.appendChild(document.createTextNode(chars.slice(at, p[0]).join("")));
    var m = document.createElement("mark");
    m.className = "fig";
    m.textContent = chars.slice(p[0], p[1]).join("");
    t.appendChild(m);
    at = p[1];
  });
  t.appendChild(document.createTextNode(chars.slice(at).join("")));
  line.dataset.marked = spec;
}

function highlightTarget() {
  var id = decodeURIComponent(location.hash.slice(1));
  if (!/^L\d+$/.test(id)) return;
  document.querySelectorAll(".line.hl").forEach(function (e) { e.classList.remove("hl"); });
  var line = document.getElementById(id);
  if (!line) return;
  line.classList.add("hl");
  markCharacters(line, new URLSearchParams(location.search).get("m"));
  line.scrollIntoView({block: "center"});
}

function filterFindings() {
  var box = document.getElementById("findings");
  if (!box) return;
  var unit = document.getElementById("f-unit").value, year = document.getElementById("f-year").value;
  var family = document.getElementById("f-family").value, sort = document.getElementById("f-sort").value;
  var min = parseFloat(document.getElementById("f-min").value) || 0;
  var items = Array.from(box.querySelectorAll(".finding")), shown = 0;
  items.sort(function (a, b) { return parseFloat(b.dataset[sort]) - parseFloat(a.dataset[sort]); });
  items.forEach(function (f) {
    var ok = (!unit || f.dataset.unit === unit) && (!year || f.dataset.year === year) &&
             (!family || f.dataset.family === family) && parseFloat(f.dataset.abs) >= min;
    f.hidden = !ok;
    if (ok) shown++;
    box.appendChild(f);
  });
  document.getElementById("f-count").textContent = shown + " / " + items.length + " shown 显示";
}

function setupFindings() {
  if (!document.getElementById("filters")) return;
  var params = new URLSearchParams(location.hash.slice(1));  // findings.html#unit=…&year=… from other pages
  ["unit", "year", "family"].forEach(function (k) {
    if (params.get(k)) document.getElementById("f-" + k).value = params.get(k);
  });
  document.querySelectorAll("#filters select, #filters input").forEach(function (e) {
    e.addEventListener("input", filterFindings);
  });
  filterFindings();
}

window.addEventListener("hashchange", highlightTarget);
document.addEventListener("DOMContentLoaded", function () { highlightTarget(); setupFindings(); });
