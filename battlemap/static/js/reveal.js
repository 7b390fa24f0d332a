/*
 * Reveal one personal number on the household file: each "显示" button is a form that
 * POSTs to /households/<id>/reveal/ (the server records the look in the audit trail).
 * With this script the number replaces its masked form in place; without it the form
 * posts and the page comes back with the number shown. No inline script (CSP).
 */
(function () {
  "use strict";

  document.querySelectorAll("form[data-reveal]").forEach(function (form) {
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const button = form.querySelector("button");
      button.disabled = true;
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (!response.ok) throw new Error(String(response.status));
        const data = await response.json();
        const target = form.parentElement.querySelector("[data-personal]");
        target.textContent = data.value;
        target.classList.add("revealed");
        form.remove();
      } catch (error) {
        button.disabled = false;
        form.submit(); // fall back to the plain form: the server shows the page again
      }
    });
  });
})();
