/* Slot form: warn as soon as the time is outside the station's quiet hours
   (the server warns again on save: radio.slots.quiet_hours_warning). */
(function () {
  "use strict";
  var hint = document.getElementById("quiet-hint");
  var input = document.getElementById("at");
  if (!hint || !input) { return; }
  var before = hint.getAttribute("data-before"), after = hint.getAttribute("data-after");
  function minutes(hhmm) { var p = hhmm.split(":"); return Number(p[0]) * 60 + Number(p[1] || 0); }
  function check() {
    var value = input.value;
    var outside = value && (minutes(value) < minutes(before) || minutes(value) > minutes(after));
    hint.classList.toggle("flash", !!outside);
    hint.classList.toggle("flash-warning", !!outside);
    hint.setAttribute("role", outside ? "alert" : "note");
  }
  input.addEventListener("input", check);
  check();
})();
