// The share row. "Copy link" copies the story's short link, where the Clipboard API exists;
// "Share…" opens the device's own share sheet, where the Web Share API exists. Without them
// the plain links to each network remain.
document.querySelectorAll(".copy-link").forEach(function (button) {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var status = button.closest(".share").querySelector(".copy-status");
    navigator.clipboard.writeText(button.dataset.url).then(function () {
      status.textContent = button.dataset.done;
    });
  });
});
document.querySelectorAll(".web-share").forEach(function (button) {
  var data = { title: button.dataset.title, url: button.dataset.url };
  if (!navigator.share || (navigator.canShare && !navigator.canShare(data))) return;
  button.closest(".web-share-item").hidden = false;
  button.addEventListener("click", function () {
    navigator.share(data).catch(function () {
      // Closing the share sheet is not an error worth showing.
    });
  });
});
