// The portal's small enhancements; the pages work without them.
// 1. Sortable tables (政务公开工作监测): every column header of a table[data-xxgk-sortable] becomes a
//    button; a click (or Enter/Space) sorts by that column, again reverses it. Cells sort by their
//    data-sort value when they have one (numbers compare as numbers), else by their text.
// 2. Tables wider than the screen scroll inside their wrapper; a wrapper that scrolls is made a
//    focusable, named region so keyboard users can scroll it too (WCAG 2.1.1), its name ends in
//    “（可横向滚动）” for screen readers, and it has the class xxgk-scrolls (the visible cue is CSS).
// 3. In such a table the row labels (th scope="row", the corner of 表三) stay where they are while the
//    numbers scroll under them: each is made sticky at its own distance from the table's left edge, so
//    the levels of 表三's labels (三、… / （三）… / 4.…) sit side by side and never cover each other.
(function () {
  "use strict";

  function key(cell) {
    var value = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    var number = Number(value);
    return value !== "" && !isNaN(number) ? number : value;
  }

  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b), "zh-CN");
  }

  function sortBy(table, column, header) {
    var body = table.tBodies[0];
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows).map(function (row, index) {
      return { row: row, key: key(row.cells[column]), index: index };
    });
    rows.sort(function (a, b) {
      var order = compare(a.key, b.key);
      return (ascending ? order : -order) || a.index - b.index;  // stable
    });
    rows.forEach(function (item) { body.appendChild(item.row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function sortable(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "xxgk-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, column, th); });
    });
    table.setAttribute("data-xxgk-sortable", "ready");
  }

  var WRAPPERS = ".md-typeset__scrollwrap, .xxgk-table-wrap";

  var HINT = "（可横向滚动）";

  var LABELS = 'tbody th[scope="row"], td.xxgk-corner';

  function stickyLabels(table, on) {
    if (!table) return;
    var cells = Array.prototype.slice.call(table.querySelectorAll(LABELS));
    cells.forEach(function (cell) { cell.style.left = ""; });
    table.classList.remove("xxgk-sticky");
    if (!on) return;
    var lefts = cells.map(function (cell) { return cell.offsetLeft; });  // measured before any is sticky
    cells.forEach(function (cell, index) { cell.style.left = lefts[index] + "px"; });
    table.classList.add("xxgk-sticky");
  }

  function scrollRegions() {
    Array.prototype.forEach.call(document.querySelectorAll(WRAPPERS), function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth;
      wrap.classList.toggle("xxgk-scrolls", scrolls);
      stickyLabels(wrap.querySelector("table"), scrolls);
      var label = wrap.getAttribute("aria-label");
      if (!scrolls) {  // wider screen now: the hint goes (the region stays, as the template made it)
        if (label && label.slice(-HINT.length) === HINT) wrap.setAttribute("aria-label", label.slice(0, -HINT.length));
        return;
      }
      var table = wrap.querySelector("table");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      if (!label) {
        var name = table && (table.getAttribute("aria-label") || (table.caption && table.caption.textContent));
        wrap.setAttribute("aria-label", (name || "表格") + HINT);
      } else if (label.slice(-HINT.length) !== HINT) {
        wrap.setAttribute("aria-label", label + HINT);  // screen readers hear that it scrolls
      }
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-xxgk-sortable]"), sortable);
    // After the theme has wrapped its tables (it does so on the same event, registered first).
    setTimeout(scrollRegions, 0);
    window.addEventListener("resize", scrollRegions);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
