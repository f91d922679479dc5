/*
 * Forms that must survive a dropped connection (the coach's session form): marked with
 * data-offline-key. On submit the form is sent with fetch; if the network fails, what was typed is kept
 * in this browser (localStorage) and sent again when the connection comes back (the "online" event,
 * every 20 s, and on the next page of this site that loads this script). The form carries a token made
 * by the server, so a form sent twice is recorded once.
 */
(function () {
  "use strict";
  var PREFIX = "pem-offline:";
  // Forms being sent again right now: the "online" event, the timer and a page load may all call flush()
  // at once, and one form must then be sent once, not raced against itself.
  var sending = {};

  function pending() {
    var items = [];
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        try { items.push({ key: key, value: JSON.parse(localStorage.getItem(key)) }); } catch (e) { localStorage.removeItem(key); }
      }
    }
    return items;
  }

  function body(entries) {
    var data = new FormData();
    entries.forEach(function (pair) { data.append(pair[0], pair[1]); });
    return data;
  }

  function notice(show) {
    var element = document.getElementById("offline-notice");
    if (element) { element.classList.toggle("d-none", !show); }
  }

  function send(url, entries) {
    return fetch(url, { method: "POST", body: body(entries), credentials: "same-origin", redirect: "follow" });
  }

  function flush() {
    pending().forEach(function (item) {
      if (sending[item.key]) { return; }
      sending[item.key] = true;
      send(item.value.url, item.value.entries).then(function (response) {
        if (response.url.indexOf("/accounts/login") !== -1) { return; }  // logged out: keep it for after login
        localStorage.removeItem(item.key);
        notice(false);
        if (response.ok && response.redirected && window.location.href === item.value.url) {
          response.text().then(function (html) {
            document.open(); document.write(html); document.close();
            window.history.replaceState(null, "", response.url);
          });
        }
      }).catch(function () { notice(true); }).then(function () { delete sending[item.key]; });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-offline-key]")) { return; }
    event.preventDefault();
    var entries = [];
    new FormData(form).forEach(function (value, name) { entries.push([name, value]); });
    var token = (form.querySelector("[name=client_token]") || {}).value || String(Date.now());
    var url = form.getAttribute("action") || window.location.href;
    var button = form.querySelector("[type=submit]");
    if (button) { button.disabled = true; }
    send(url, entries).then(function (response) {
      return response.text().then(function (html) {
        // The page the server answered with (the entrepreneur's page and its message, or the form with
        // its errors), shown as if the browser had posted the form itself.
        document.open(); document.write(html); document.close();
        if (response.redirected) { window.history.replaceState(null, "", response.url); }
      });
    }).catch(function () {
      localStorage.setItem(PREFIX + form.dataset.offlineKey + ":" + token, JSON.stringify({ url: url, entries: entries }));
      notice(true);
      if (button) { button.disabled = false; }
    });
  });

  window.addEventListener("online", flush);
  window.setInterval(function () { if (pending().length) { flush(); } }, 20000);
  if (pending().length) { flush(); }
})();
