// "Copy link" on the share row: shown only where the Clipboard API exists.
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
