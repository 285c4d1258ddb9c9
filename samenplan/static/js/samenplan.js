// Move focus to the error summary, so screen reader and keyboard users hear what to fix first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  watchPrintJob();
});

// A print run renders in the background: ask for its status until the PDF is ready.
function watchPrintJob() {
  var box = document.querySelector("[data-print-job]");
  if (!box) {
    return;
  }
  var message = box.querySelector("[data-job-message]");
  var progress = box.querySelector("progress");
  var download = box.querySelector("[data-job-download]");
  var reload = box.querySelector("[data-job-reload]");
  function poll() {
    fetch(box.getAttribute("data-print-job"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (message.textContent.trim() !== job.message) {
          message.textContent = job.message;
        }
        progress.max = job.total + 1;
        progress.value = job.done + (job.status === "done" ? 1 : 0);
        if (job.status === "done") {
          download.hidden = false;
          if (reload) { reload.hidden = true; }
        } else if (job.status !== "failed") {
          window.setTimeout(poll, 1500);
        } else if (reload) {
          reload.hidden = true;
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  poll();
}
