// Upload progress for the application forms: a progressive enhancement.
// Without JavaScript the form posts as usual. With it, the form is sent by
// XMLHttpRequest so that a progress bar (and a live region for screen
// readers) can follow the upload; if the upload fails, the page stays as it
// is, with everything the candidate typed, and says so.
(function () {
  "use strict";

  function enhance(form) {
    var box = form.querySelector("[data-upload-progress]");
    if (!box || !window.FormData || !window.XMLHttpRequest) {
      return;
    }
    var bar = box.querySelector("progress");
    var status = box.querySelector("[data-upload-status]");
    var button = form.querySelector("[type=submit]");
    var lastAnnounced = -1;

    function say(text) {
      status.textContent = text;
    }

    function failed(reason) {
      box.classList.add("upload-progress--failed");
      say(reason ? reason + " " + box.dataset.kept : box.dataset.failed);
      button.disabled = false;
    }

    // What a refusal page (too large, too many, closed) says, in a sentence or two.
    function reasonOf(html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      return Array.prototype.map.call(page.querySelectorAll("main h1, main h1 ~ p"), function (element) {
        var text = element.textContent.trim();
        return /[.!?:]$/.test(text) ? text : text + ".";  // the heading ends a sentence too
      }).slice(0, 2).join(" ");
    }

    form.addEventListener("submit", function (event) {
      var chosen = Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
        return input.files.length > 0;
      });
      if (!chosen) {
        return;  // nothing to upload: the plain form post is as good
      }
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open(form.method || "POST", form.action || window.location.href);
      request.upload.addEventListener("progress", function (progress) {
        if (!progress.lengthComputable) {
          return;
        }
        var percent = Math.floor((progress.loaded / progress.total) * 100);
        bar.value = percent;
        // Announce every tenth, not every event: screen readers would stutter.
        if (percent === 100 || percent - lastAnnounced >= 10) {
          lastAnnounced = percent;
          say(box.dataset.sending.replace("{percent}", percent));
        }
      });
      request.addEventListener("load", function () {
        // 200 and 400 are the form again (400: with its errors); anything else
        // (too large, too many, closed, server down) leaves this page as it is.
        if (request.status !== 200 && request.status !== 400) {
          failed(request.status >= 400 && request.status < 500 ? reasonOf(request.responseText) : "");
          return;
        }
        if (request.responseURL && request.responseURL.split("#")[0] !== window.location.href.split("#")[0]) {
          window.location.assign(request.responseURL);  // the confirmation page
          return;
        }
        // The same page again: the form with its errors, or a refusal to read.
        document.open();
        document.write(request.responseText);
        document.close();
        var summary = document.getElementById("error-summary");
        if (summary) {
          summary.focus();
        }
      });
      request.addEventListener("error", function () { failed(""); });
      request.addEventListener("abort", function () { failed(""); });
      box.hidden = false;
      box.classList.remove("upload-progress--failed");
      bar.value = 0;
      lastAnnounced = -1;
      say(box.dataset.sending.replace("{percent}", 0));
      button.disabled = true;
      request.send(new FormData(form));
    });
  }

  document.querySelectorAll("form[data-upload-form]").forEach(enhance);
})();
