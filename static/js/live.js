// Live coverage: the open page asks for new entries every few seconds (only while it is
// visible) and offers them with a «N new entries» button rather than moving the text the
// reader is reading. Edited entries change in place, deleted ones go. Without script a reload
// shows everything. The server answers 304 while nothing changes.
(function () {
  var live = document.querySelector("[data-live-updates]");
  if (!live || !window.fetch) return;
  var list = live.querySelector(".live-entries");
  var button = live.querySelector(".live-new");
  var status = live.querySelector(".live-status");
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang) : null;
  var delay = (+live.dataset.interval || 10) * 1000;
  var waiting = [];
  var timer;

  function label(count) {
    var form = plural ? plural.select(count) : count === 1 ? "one" : "other";
    var text = live.dataset["new" + form.charAt(0).toUpperCase() + form.slice(1)] || live.dataset.newOther;
    return text.replace("%(count)s", count);
  }

  function element(html) {
    var item = document.createElement("li");
    item.innerHTML = html; // rendered and escaped by the server, from sanitised entries
    return item;
  }

  function show() {
    var first = null;
    waiting.reverse().forEach(function (entry) {
      var item = element(entry.html);
      var pinned = list.querySelector(".live-entry-pinned");
      var after = pinned ? pinned.parentNode.nextSibling : list.firstChild;
      list.insertBefore(item, after);
      first = item;
    });
    waiting = [];
    button.hidden = true;
    var empty = live.querySelector(".live-empty");
    if (empty) empty.remove();
    if (first) {
      // The newest entry, on top: keyboard and screen reader users land on what is new.
      first.firstElementChild.setAttribute("tabindex", "-1");
      first.firstElementChild.focus();
    }
  }

  function update(data) {
    var sent = {};
    var oldest = null;
    data.entries.forEach(function (entry) {
      sent[entry.id] = true;
      if (!entry.pinned && (!oldest || entry.posted < oldest)) oldest = entry.posted;
      var shown = document.getElementById("entry-" + entry.id);
      if (shown) {
        if (shown.dataset.updated !== entry.updated) shown.parentNode.replaceWith(element(entry.html));
      } else if (!waiting.some(function (w) { return w.id === entry.id; })) {
        if (entry.pinned) list.insertBefore(element(entry.html), list.firstChild);
        else waiting.push(entry);
      }
    });
    // Entries deleted since: those in the window the server sent and no longer in it.
    list.querySelectorAll(".live-entry").forEach(function (shown) {
      var id = shown.id.replace("entry-", "");
      if (!sent[id] && oldest && shown.dataset.posted >= oldest) shown.parentNode.remove();
    });
    waiting = waiting.filter(function (entry) { return sent[entry.id]; });
    if (waiting.length) {
      button.textContent = label(waiting.length);
      if (button.hidden) status.textContent = button.textContent;
      button.hidden = false;
    }
    if (!data.live) {
      status.textContent = live.dataset.ended;
      return false;
    }
    return true;
  }

  function poll() {
    if (document.hidden) return schedule(delay);
    fetch(live.dataset.liveUpdates, { headers: { Accept: "application/json" }, credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        delay = (+live.dataset.interval || 10) * 1000;
        if (update(data)) schedule(delay);
      })
      .catch(function () {
        // The network or the server is down: ask again later, less often.
        delay = Math.min(delay * 2, 300000);
        schedule(delay);
      });
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(poll, ms);
  }

  button.addEventListener("click", show);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) schedule(0);
  });
  schedule(delay);
})();
