// Loaded as a module from base.html: no inline script is allowed (CSP), so the
// body classes nhsuk-frontend's template sets inline are set here instead.
// collectstatic rewrites the import to the file's hashed name (kmcommission/storage.py).
import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("nhsuk-frontend-supported");
}
initAll();
