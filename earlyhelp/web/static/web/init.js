// Progressive enhancement: every page works without this file.
import { initAll as initGovuk } from "/static/govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "/static/moj/all.bundle.mjs";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovuk();
initMoj();

// Print buttons (the unit meeting's print layout).
for (const button of document.querySelectorAll("[data-app-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

// Reveal a conditional block only for the radios that need it (the close page's
// "authorised by"). GOV.UK's own conditional reveal sets aria-expanded on radios, which
// axe reports as invalid ARIA; this does the same without it.
const reveal = document.getElementById("conditional-authorised-by");
if (reveal) {
  const sync = () =>
    reveal.classList.toggle(
      "govuk-radios__conditional--hidden",
      !document.querySelector('input[name="reason"][data-app-reveals]:checked'),
    );
  for (const radio of document.querySelectorAll('input[name="reason"]')) {
    radio.addEventListener("change", sync);
  }
  sync();
}
