// The briefing's Print button: a file, not an inline handler, so the Content Security
// Policy (script-src 'self') holds. The button stays hidden where this does not run.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
