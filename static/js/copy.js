// Copy buttons for the subscription addresses: a file, not inline script, so the CSP holds.
// Each button names the element whose text it copies (data-copy) and is shown only here.
const status = document.getElementById("copied");
for (const button of document.querySelectorAll("[data-copy]")) {
  const source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(source.textContent.trim());
      status.textContent = "Copied. Paste it into your calendar or feed reader.";
    } catch {
      status.textContent = "Could not copy: select the address and copy it yourself.";
    }
  });
}
