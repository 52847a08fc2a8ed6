/* Record the bulletin in the browser (MediaRecorder) and upload it like a file. */
(function () {
  "use strict";
  var form = document.getElementById("recording-form");
  var start = document.getElementById("record-start");
  var stop = document.getElementById("record-stop");
  var status = document.getElementById("record-status");
  if (!form || !window.MediaRecorder || !navigator.mediaDevices) { return; }
  start.hidden = false;
  var recorder = null;
  var chunks = [];

  function upload(blob) {
    var data = new FormData(form);
    var type = blob.type || "audio/webm";
    var ext = type.indexOf("ogg") >= 0 ? "ogg" : (type.indexOf("mp4") >= 0 ? "m4a" : "webm");
    data.set("recording", blob, "ghi-am." + ext);
    status.textContent = "Đang lưu bản ghi âm…";
    fetch(form.action, {method: "POST", body: data, credentials: "same-origin",
                        headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (answer.ok) { window.location = answer.url; } else { status.textContent = answer.message; }
      })
      .catch(function () { status.textContent = "Không gửi được bản ghi âm lên máy chủ."; });
  }

  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({audio: true}).then(function (stream) {
      chunks = [];
      recorder = new MediaRecorder(stream);
      recorder.ondataavailable = function (e) { if (e.data.size) { chunks.push(e.data); } };
      recorder.onstop = function () {
        stream.getTracks().forEach(function (t) { t.stop(); });
        upload(new Blob(chunks, {type: recorder.mimeType}));
      };
      recorder.start();
      start.hidden = true;
      stop.hidden = false;
      status.textContent = "Đang ghi âm… bấm Dừng khi đọc xong.";
    }).catch(function () {
      status.textContent = "Không mở được micrô. Hãy cho phép trình duyệt dùng micrô, hoặc tải tệp lên.";
    });
  });
  stop.addEventListener("click", function () {
    if (recorder && recorder.state === "recording") { recorder.stop(); }
    stop.hidden = true;
    start.hidden = false;
  });
})();
