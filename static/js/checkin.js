// The check-in desk: scan (camera or a hand-held scanner typing into the field), show a big
// result, beep or vibrate, and get ready for the next. When the network drops, check badges
// against the list downloaded beforehand (token hashes, names and categories only), queue the
// check-ins in this browser, and send them when the network returns: the server records each
// once. The list is replaced at each refresh (a cancelled or erased person leaves it within a
// minute online), dropped when it expires, when the server refuses it (logged out elsewhere,
// role taken away) and at logout, where the queue is sent first.
(function () {
  "use strict";
  var root = document.querySelector("[data-desk]");
  if (!root) return;
  var edition = root.getAttribute("data-edition");
  var urls = {
    scan: root.getAttribute("data-scan-url"),
    sync: root.getAttribute("data-sync-url"),
    list: root.getAttribute("data-list-url"),
  };
  var text = JSON.parse(document.getElementById("desk-text").textContent);
  var plural = new Intl.PluralRules(document.documentElement.lang);

  // A text with a count: [singular, plural] as the server translated them ("1 personne",
  // "0 personne" in French; "1 person", "0 people" in English).
  function counted(forms, count) {
    return forms[plural.select(count) === "one" ? 0 : 1].replace("%(count)s", count);
  }
  var form = document.getElementById("scan-form");
  var field = document.getElementById("scan-token");
  var doorField = document.getElementById("door");
  var placeField = document.getElementById("place");  // a session's door, when there are some
  var result = document.getElementById("scan-result");
  var state = document.getElementById("desk-state");
  var sendNow = document.getElementById("send-now");
  var keys = { list: "rencontres-list-" + edition, queue: "rencontres-queue-" + edition,
               seen: "rencontres-seen-" + edition, door: "rencontres-door", device: "rencontres-device" };

  function load(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }
  // The downloaded list, unless it has expired (then it is removed).
  function currentList() {
    var list = load(keys.list, null);
    if (list && !(Date.parse(list.expires_at) > Date.now())) {
      localStorage.removeItem(keys.list);
      return null;
    }
    return list;
  }
  function forgetList() {
    localStorage.removeItem(keys.list);
    localStorage.removeItem(keys.seen);
  }
  function save(key, value) { localStorage.setItem(key, JSON.stringify(value)); }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  if (!localStorage.getItem(keys.device)) localStorage.setItem(keys.device, newId().slice(0, 12));
  doorField.value = localStorage.getItem(keys.door) || doorField.value;
  doorField.addEventListener("change", function () { localStorage.setItem(keys.door, doorField.value); });
  if (placeField) {
    placeField.value = localStorage.getItem(keys.door + "-place-" + edition) || "";
    placeField.addEventListener("change", function () {
      localStorage.setItem(keys.door + "-place-" + edition, placeField.value);
    });
  }

  function csrf() { return form.querySelector("[name=csrfmiddlewaretoken]").value; }
  // The device's own date (it is at the venue, in the venue's time zone), as YYYY-MM-DD.
  function localDay(date) {
    return date.getFullYear() + "-" + String(date.getMonth() + 1).padStart(2, "0") + "-" +
      String(date.getDate()).padStart(2, "0");
  }
  function today() { return localDay(new Date()); }

  function showState() {
    var queue = load(keys.queue, []);
    var list = currentList();
    var parts = [navigator.onLine ? text.online : text.offline];
    if (queue.length) parts.push(counted(text.queued, queue.length));
    if (list) parts.push(counted(text.list, Object.keys(list.people).length));
    state.textContent = parts.join(" · ");
    sendNow.hidden = !queue.length;
  }

  function feedback(ok) {
    if (navigator.vibrate) navigator.vibrate(ok ? 80 : [90, 60, 90]);
    try {
      var audio = new (window.AudioContext || window.webkitAudioContext)();
      var tone = audio.createOscillator();
      tone.frequency.value = ok ? 880 : 220;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + (ok ? 0.12 : 0.35));
    } catch (e) { /* no sound here: the colour says it */ }
  }

  function show(data, offline) {
    var ok = data.status === "ok";
    result.className = "scan-result scan-result--" + (ok ? "ok" : "bad");
    var lines = [];
    var title = ok ? text.welcome : (text[data.status] || text.unknown);
    if (data.status === "already" && data.first_at) {
      title = text.already_at.replace("%(time)s", data.first_at).replace("%(door)s", data.first_door || "?");
    }
    lines.push(["strong", title]);
    if (data.name) lines.push(["span", data.name]);
    if (data.category) lines.push(["span", data.category + (data.organisation ? " · " + data.organisation : "")]);
    if (data.reason) lines.push(["span", data.reason]);
    if (data.sessions && data.sessions.length) lines.push(["span", text.sessions + " " + data.sessions.join(", ")]);
    if (offline) lines.push(["em", text.offline_note]);
    result.replaceChildren();
    lines.forEach(function (line) {
      var element = document.createElement(line[0]);
      element.textContent = line[1];
      result.appendChild(element);
    });
    result.hidden = false;
    feedback(ok);
  }

  // "Already in today" in the list holds only for a list downloaded today.
  function fresh(list) { return list.generated_at && localDay(new Date(list.generated_at)) === today(); }

  async function hash(token) {
    if (!(window.crypto && crypto.subtle)) return null;
    var digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token.trim()));
    return Array.from(new Uint8Array(digest)).map(function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  async function offlineCheck(item) {
    var days = (currentList() || {}).days;
    if (days && days.indexOf(today()) < 0) {
      // Not a day the desk checks people in (the server would refuse it too): nothing queued.
      show({ status: "outside_days", reason: text.outside_days_reason }, false);
      showState();
      return;
    }
    var queue = load(keys.queue, []);
    queue.push(item);
    save(keys.queue, queue);
    var list = currentList() || { people: {}, categories: [] };
    var seen = load(keys.seen, {});
    if (seen.day !== today()) seen = { day: today(), hashes: {} };
    var key = await hash(item.token);
    var entry = key && list.people[key];  // [name, category, in today, sessions]
    var person = entry && { name: entry[0], category: list.categories[entry[1]], inside: entry[2],
                            places: entry[3] || [] };
    var where = item.session ? key + "@" + item.session : key;
    var open = item.session && list.sessions ? list.sessions[item.session] : true;
    if (!person) {
      show({ status: "unknown", reason: text.unknown_offline }, true);
    } else if (item.session && !open && person.places.indexOf(Number(item.session)) < 0) {
      show({ status: "not_on_list", name: person.name, category: person.category }, true);
    } else if ((!item.session && person.inside && fresh(list)) || seen.hashes[where]) {
      show({ status: "already", name: person.name, category: person.category }, true);
    } else {
      seen.hashes[where] = true;
      save(keys.seen, seen);
      show({ status: "ok", name: person.name, category: person.category }, true);
    }
    showState();
  }

  async function scan(token) {
    token = (token || "").trim();
    if (!token) return;
    var item = { id: newId(), token: token, door: doorField.value, device: localStorage.getItem(keys.device),
                 at: new Date().toISOString(), session: placeField ? placeField.value : "" };
    try {
      var response = await fetch(urls.scan, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify(item),
      });
      if (response.status >= 500) throw new Error("server");
      if (!response.ok) { show({ status: "unknown", reason: text.refused }); return; }
      show(await response.json(), false);
    } catch (error) {
      await offlineCheck(item);
    }
  }

  var sending = null;  // the sending under way: whoever asks to send meanwhile waits for it
  var CHUNK = 500;  // the server takes at most 2,000 scans a call
  function flush() {
    if (!sending) sending = sendQueue().finally(function () { sending = null; });
    return sending;
  }
  async function sendQueue() {
    var queue = load(keys.queue, []);
    if (!queue.length) { showState(); return; }
    var refused = [];
    try {
      for (var start = 0; start < queue.length; start += CHUNK) {
        var chunk = queue.slice(start, start + CHUNK);
        var response = await fetch(urls.sync, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
          body: JSON.stringify({ items: chunk }),
        });
        if (!response.ok) break;
        var data = await response.json();
        (data.results || []).forEach(function (result) {
          if (result.status !== "ok" && result.status !== "already") refused.push(result);
        });
        var sent = {};
        chunk.forEach(function (item) { sent[item.id] = true; });
        // Scans queued while this request was on its way stay in the queue.
        save(keys.queue, load(keys.queue, []).filter(function (item) { return !sent[item.id]; }));
      }
    } catch (error) { /* still offline: try again later */ }
    if (refused.length) {
      // Admitted offline, refused by the server (cancelled, unknown...): staff must know.
      show({ status: "not_confirmed", reason: text.refused_offline + " " + refused.map(function (r) {
        return r.name || "?";
      }).join(", ") });
    }
    showState();
  }

  var refreshes = 0;  // answers can arrive out of order: only the latest request's counts
  var leaving = false;  // logging out: no answer may store the list again
  async function refreshList() {
    if (leaving) return;
    var mine = ++refreshes;
    var list = currentList();
    var headers = list && list.etag ? { "If-None-Match": list.etag } : {};
    try {
      var response = await fetch(urls.list, { credentials: "same-origin", headers: headers,
                                              redirect: "manual", cache: "no-store" });
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      var received = response.ok && json ? await response.json() : null;
      if (mine !== refreshes) return;
      if (received) {
        received.etag = response.headers.get("ETag");
        save(keys.list, received);
      } else if (response.type === "opaqueredirect" || [401, 403, 404].indexOf(response.status) >= 0) {
        forgetList();  // sent to the login page, or no longer allowed: the list must not stay
      }  // 304: the list has not changed; 5xx: keep the copy we have
    } catch (error) { /* offline: keep the copy until it expires */ }
    showState();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var token = field.value;
    field.value = "";
    scan(token).then(function () { field.focus(); });
  });
  sendNow.addEventListener("click", flush);
  window.addEventListener("online", function () { flush(); refreshList(); });
  window.addEventListener("offline", showState);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") refreshList();
  });
  setInterval(flush, 15000);
  setInterval(refreshList, 60000);  // unchanged lists answer 304: a minute costs little
  refreshList().then(flush);

  // Logging out: send what is queued, then forget the list and the queue on this device (the
  // server's answer also asks the browser to clear the site's storage).
  var logout = document.querySelector("form[data-logout]");
  if (logout) {
    logout.addEventListener("submit", async function (event) {
      event.preventDefault();
      await flush();
      if (load(keys.queue, []).length) await flush();  // scanned while the first was on its way
      var left = load(keys.queue, []).length;
      if (left && !window.confirm(counted(text.unsent_logout, left))) return;
      leaving = true;
      refreshes++;  // a refresh still on its way is ignored
      forgetList();
      localStorage.removeItem(keys.queue);
      logout.submit();
    });
  }

  // The camera: read QR codes from the video, a few frames a second.
  var cameraButton = document.getElementById("camera-start");
  var video = document.getElementById("camera");
  var canvas = document.createElement("canvas");
  var last = { token: null, at: 0 };
  function frame() {
    if (video.readyState === video.HAVE_ENOUGH_DATA && window.jsQR) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      var context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      var now = Date.now();
      if (code && code.data && (code.data !== last.token || now - last.at > 4000)) {
        last = { token: code.data, at: now };
        scan(code.data);
      }
    }
    setTimeout(function () { requestAnimationFrame(frame); }, 150);
  }
  if (cameraButton && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    cameraButton.hidden = false;
    cameraButton.addEventListener("click", async function () {
      try {
        video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
        video.hidden = false;
        await video.play();
        cameraButton.hidden = true;
        frame();
      } catch (error) {
        show({ status: "unknown", reason: text.no_camera });
      }
    });
  }
  showState();
})();
