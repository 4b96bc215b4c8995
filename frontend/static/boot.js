// Starts the app. A file rather than an inline script, so the Content-Security-Policy
// (`_headers`) allows scripts from this origin only, with no hash to keep in step.
import init from "/frontend.js";
init({ module_or_path: "/frontend_bg.wasm" });
