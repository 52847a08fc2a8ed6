/* "Nghe thử": render text with the station's voice and play it here. */
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');

  function postJSON(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json",
                "X-CSRFToken": csrf ? csrf.content : ""},
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {error: "Lỗi máy chủ (" + r.status + ")."}; })
        .then(function (data) { data.status = r.status; return data; });
    });
  }

  function listen(url, title, text, audio, status, button) {
    if (!text.trim()) { status.textContent = "Chưa có nội dung để nghe."; return; }
    status.textContent = "Đang tạo giọng đọc…";
    if (button) { button.disabled = true; }
    postJSON(url, {title: title, text: text}).then(function (data) {
      if (data.error) { status.textContent = data.error; return; }
      audio.hidden = false;
      audio.src = data.url;
      status.textContent = "Giọng " + data.engine + ", dài " + Math.round(data.duration_ms / 1000) + " giây.";
      var played = audio.play();
      if (played && played.catch) { played.catch(function () {}); }
    }).catch(function () {
      status.textContent = "Không kết nối được với máy chủ của đài.";
    }).then(function () { if (button) { button.disabled = false; } });
  }

  window.radio = {postJSON: postJSON, listen: listen};

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-listen], [data-listen-from]");
    if (!button) { return; }
    var status = document.getElementById("listen-status");
    var audio = document.getElementById("listen-audio");
    var text = button.hasAttribute("data-listen") ? button.getAttribute("data-listen")
      : document.getElementById(button.getAttribute("data-listen-from")).value;
    listen(status.getAttribute("data-url"), "", text, audio, status, button);
  });
})();
