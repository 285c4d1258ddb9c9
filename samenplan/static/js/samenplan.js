// Move focus to the error summary, so screen reader and keyboard users hear what to fix first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  watchPrintJob();
  keepFormTokens();
});

// A create form is sent, then the back button: the page comes again from the server (nothing
// personal is kept in the cache) with a new one-time token, and the browser fills in what was
// typed, so sending it again would make a second entry. Give such a form back the token it was
// sent with: the server sees the repeat and shows what the first send made (core/once.py).
function keepFormTokens() {
  var store;
  try {
    store = window.sessionStorage;
  } catch (error) {
    return;
  }
  var entries = window.performance && performance.getEntriesByType
    ? performance.getEntriesByType("navigation") : [];
  var back = entries.length > 0 && entries[0].type === "back_forward";
  document.querySelectorAll("form").forEach(function (form) {
    var token = form.querySelector('input[type="hidden"][name$="form_token"]');
    if (!token || !store) {
      return;
    }
    var key = "samenplan-sent:" + form.action;
    var sent = store.getItem(key);
    if (back && sent) {
      token.value = sent;
    }
    form.addEventListener("submit", function () {
      store.setItem(key, token.value);
    });
  });
}

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
