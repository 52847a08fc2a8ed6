/* The emergency status page: look again every second until the log has the broadcast. */
(function () {
  "use strict";
  var box = document.getElementById("emergency-state");
  if (!box) { return; }
  var last = null;
  function poll() {
    fetch(box.getAttribute("data-url"), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (last !== null && data.state !== last) { window.location.reload(); return; }
        last = data.state;
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
