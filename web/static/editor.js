/* Bulletin editor: live spoken form with the normaliser's guesses marked,
   "Nghe thử", "Thêm vào từ điển", and picking a section of an imported plan. */
(function () {
  "use strict";
  var textArea = document.querySelector("textarea[data-preview]");
  if (!textArea) { return; }
  var titleInput = document.querySelector('input[name="title"]');
  var spokenBox = document.getElementById("spoken");
  var unsureBox = document.getElementById("unsure");
  var listenButton = document.getElementById("listen");
  var timer = null;
  var asked = 0;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function addToLexicon(span) {
    var spoken = window.prompt("Từ \"" + span.original + "\" đọc là:", span.spoken);
    if (spoken === null || !spoken.trim()) { return; }
    window.radio.postJSON(unsureBox.getAttribute("data-lexicon"), {term: span.original, spoken: spoken})
      .then(function (data) {
        if (data.error) { window.alert(data.error); return; }
        refresh();
      });
  }

  function show(data) {
    spokenBox.textContent = data.spoken || "";
    if (!data.spoken) { spokenBox.appendChild(el("span", "empty", "Chưa có nội dung.")); }
    unsureBox.textContent = "";
    if (!data.unsure || !data.unsure.length) { return; }
    unsureBox.appendChild(el("h3", "", "Máy chưa chắc cách đọc " + data.unsure.length + " chỗ:"));
    var list = el("ul");
    var seen = {};
    data.unsure.forEach(function (span) {
      if (seen[span.original]) { return; }
      seen[span.original] = true;
      var item = el("li");
      item.appendChild(el("mark", "", span.original));
      item.appendChild(document.createTextNode(" → “" + span.spoken + "” (" + span.label + ") "));
      var add = el("button", "button small", "Thêm vào từ điển");
      add.type = "button";
      add.addEventListener("click", function () { addToLexicon(span); });
      item.appendChild(add);
      list.appendChild(item);
    });
    unsureBox.appendChild(list);
  }

  function refresh() {
    var mine = ++asked;
    window.radio.postJSON(textArea.getAttribute("data-preview"), {text: textArea.value}).then(function (data) {
      if (mine !== asked) { return; }  // a newer keystroke has asked again
      if (data.error) { spokenBox.textContent = data.error; return; }
      show(data);
    });
  }

  textArea.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
  listenButton.addEventListener("click", function () {
    window.radio.listen(listenButton.getAttribute("data-url"), titleInput.value, textArea.value,
                        document.getElementById("listen-audio"), document.getElementById("listen-status"),
                        listenButton);
  });

  var picker = document.getElementById("section-pick");
  if (picker) {
    var sections = JSON.parse(picker.getAttribute("data-sections"));
    var whole = {title: titleInput.value, text: textArea.value};
    picker.addEventListener("change", function () {
      var chosen = picker.value === "" ? whole : sections[Number(picker.value)];
      titleInput.value = chosen.title;
      textArea.value = chosen.text;
      refresh();
    });
  }
  refresh();
})();
