/**
 * The pages a browser lands on when signing in fails: plain HTML from the backend (the app is
 * not loaded yet), saying what failed and what to do. Every text is escaped: a provider's
 * error description comes from outside.
 */
export function signInRefusedPage(what: string, advice: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign-in refused · Horizon</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5">
<h1>Sign-in refused</h1><p>${escapeHtml(what)}</p>
<p>${escapeHtml(advice)}</p>
<p><a href="/">Back to the sign-in page</a></p>
</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
