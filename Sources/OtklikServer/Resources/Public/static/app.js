// Otklik workspace: live deadline countdowns, answer templates and the queue's keyboard. No inline
// scripts anywhere (the CSP forbids them); everything the server knows arrives in data attributes.
(function () {
  "use strict";

  function plural(n, one, few, many) {
    var n100 = Math.abs(n) % 100, n10 = Math.abs(n) % 10;
    if (n100 >= 11 && n100 <= 14) return many;
    if (n10 === 1) return one;
    if (n10 >= 2 && n10 <= 4) return few;
    return many;
  }

  // The same words as the server's WorkingSpan.russian.
  function span(seconds, working) {
    var minutes = Math.floor(Math.abs(seconds) / 60), h = Math.floor(minutes / 60), m = minutes % 60, parts = [];
    if (h > 0) parts.push(h + " " + (working ? plural(h, "рабочий час", "рабочих часа", "рабочих часов") : plural(h, "час", "часа", "часов")));
    if (m > 0 || h === 0) parts.push(m + " " + plural(m, "минута", "минуты", "минут"));
    return parts.join(" ");
  }

  var body = document.body;
  var windows = [];
  try { windows = JSON.parse(body.getAttribute("data-windows") || "[]"); } catch (e) { windows = []; }
  var serverNow = parseInt(body.getAttribute("data-now") || "0", 10);
  var skew = serverNow ? serverNow - Date.now() / 1000 : 0;

  // Working seconds between two instants inside the municipality's working periods; null beyond them.
  function workingBetween(a, b) {
    if (b < a) { var back = workingBetween(b, a); return back === null ? null : -back; }
    if (!windows.length || b > windows[windows.length - 1][1] || a < windows[0][0]) return null;
    var total = 0;
    for (var i = 0; i < windows.length; i++) {
      var s = Math.max(a, windows[i][0]), e = Math.min(b, windows[i][1]);
      if (e > s) total += e - s;
    }
    return total;
  }

  function tick() {
    var now = Date.now() / 1000 + skew;
    var clocks = document.querySelectorAll("time.countdown");
    for (var i = 0; i < clocks.length; i++) {
      var el = clocks[i], due = parseInt(el.getAttribute("data-due"), 10), mode = el.getAttribute("data-mode");
      if (!due) continue;
      var left = mode === "hours" ? Math.round(due - now) : workingBetween(now, due);
      if (left === null) continue;
      el.textContent = (left >= 0 ? "осталось " : "просрочено на ") + span(left, mode !== "hours");
      var state = left < 0 ? "overdue" : (left <= 7200 ? "soon" : "");
      var holder = el.closest(".due");
      if (holder) { holder.classList.remove("overdue", "soon"); if (state) holder.classList.add(state); }
      var row = el.closest("tr");
      if (row) { row.classList.remove("overdue", "soon"); if (state) row.classList.add(state); }
    }
  }
  tick();
  setInterval(tick, 30000);

  // Answer templates: the server has already filled the placeholders for this case.
  document.querySelectorAll("select.template-picker").forEach(function (picker) {
    picker.addEventListener("change", function () {
      var option = picker.options[picker.selectedIndex];
      var target = document.getElementById(picker.getAttribute("data-target"));
      if (!target || !option || !option.value) return;
      var text = option.getAttribute("data-text") || "";
      if (target.value.trim() && !window.confirm("Заменить введённый текст текстом шаблона?")) { picker.selectedIndex = 0; return; }
      target.value = text;
      target.focus();
    });
  });

  // The queue.
  var table = document.getElementById("queue");
  var selectAll = document.getElementById("select-all");
  if (selectAll && table) {
    selectAll.addEventListener("change", function () {
      table.querySelectorAll("tbody input[type=checkbox]").forEach(function (box) { box.checked = selectAll.checked; });
    });
  }
  var help = document.getElementById("help");
  var current = -1;
  function rows() { return table ? table.querySelectorAll("tbody tr") : []; }
  function move(delta) {
    var list = rows();
    if (!list.length) return;
    if (current >= 0 && list[current]) list[current].classList.remove("current");
    current = Math.max(0, Math.min(list.length - 1, current + delta));
    list[current].classList.add("current");
    list[current].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (ev) {
    var tag = (ev.target && ev.target.tagName) || "";
    if (ev.ctrlKey || ev.metaKey || ev.altKey || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    var list = rows(), row = current >= 0 ? list[current] : null;
    switch (ev.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "x": if (row) { var box = row.querySelector("input[type=checkbox]"); if (box) box.checked = !box.checked; } break;
      case "o": case "Enter": if (row) { window.location.href = row.getAttribute("data-href"); } else return; break;
      case "t": var take = document.getElementById("bulk-take"); if (take) take.click(); break;
      case "a": var org = document.getElementById("bulk-org"); if (org) org.focus(); break;
      case "n": var next = document.getElementById("next-page"); if (next) window.location.href = next.href; break;
      case "/": var q = document.getElementById("f-q"); if (q) { var d = q.closest("details"); if (d) d.open = true; q.focus(); } break;
      case "?": if (help) help.classList.toggle("open"); break;
      default: return;
    }
    ev.preventDefault();
  });
  // Import progress: the run is read from the API every second until it is done, then the page is
  // reloaded so that the server draws the result and the report link.
  var progress = document.getElementById("import-progress");
  if (progress && progress.getAttribute("data-poll") && (progress.getAttribute("data-status") === "queued" || progress.getAttribute("data-status") === "running")) {
    var text = document.getElementById("import-progress-text");
    var poll = function () {
      fetch(progress.getAttribute("data-poll"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (run) {
          progress.max = Math.max(1, run.total_rows);
          progress.value = run.processed_rows;
          progress.textContent = Math.floor(100 * run.processed_rows / Math.max(1, run.total_rows)) + "%";
          if (text) text.textContent = "Обработано строк: " + run.processed_rows + " из " + run.total_rows;
          ["created", "updated", "unchanged", "rejected"].forEach(function (k) {
            var cell = document.querySelector("[data-count=" + k + "]");
            if (cell) cell.textContent = run[k];
          });
          var status = document.getElementById("run-status");
          if (status) status.textContent = run.status_title;
          if (run.status === "done" || run.status === "failed") { window.location.reload(); } else { setTimeout(poll, 1000); }
        })
        .catch(function () { if (text) text.textContent = "Нет связи с сервером, повторяем…"; setTimeout(poll, 5000); });
    };
    setTimeout(poll, 1000);
  }
  // Classifier training: the overview is read every two seconds while a training runs, then the page
  // is reloaded to show the new figures.
  var training = document.getElementById("training-under-way");
  if (training && training.getAttribute("data-poll")) {
    var pollTraining = function () {
      fetch(training.getAttribute("data-poll"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (o) { if (o.settings && !o.settings.training_under_way) { window.location.reload(); } else { setTimeout(pollTraining, 2000); } })
        .catch(function () { setTimeout(pollTraining, 5000); });
    };
    setTimeout(pollTraining, 2000);
  }
})();
