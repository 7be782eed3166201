import { defaultProxyPort } from './local/local-driver';

/** How to start the host's Chromium inside a sandbox (a `verify` one, whose way out is the preview). */
export interface ChromiumInside {
  executable: string;
  args: string[];
}

/**
 * Debian's Chromium binary itself, not `/usr/bin/chromium`: that wrapper script only adds the
 * desktop defaults of `/etc/chromium.d`, which is not bound in. `/usr` is; fonts come through
 * `/etc/fonts`. For Playwright: `chromium.launch({ executablePath: <a script that execs
 * SandboxDriver.commandLine(handle, [executable]) with "$@">, env: <its env>, args })`.
 */
export const chromiumInside: ChromiumInside = {
  executable: '/usr/lib/chromium/chromium',
  args: [
    // There is no display inside.
    '--headless',
    // bwrap is the sandbox. Chromium's own (a nested user namespace) works inside it on Debian,
    // but hosts that forbid user namespaces inside bwrap (Ubuntu's AppArmor userns restriction)
    // refuse it, and a page that escaped the renderer would only find the verify sandbox: no
    // credentials, no way out but the preview.
    '--no-sandbox',
    // Everything goes through the egress proxy, named outright: Chromium reads *_proxy variables
    // only on some desktops. The local driver's default port (the handle's `proxyUrl`); its own
    // update checks (update.googleapis.com) go there too, refused and logged.
    `--proxy-server=http://127.0.0.1:${defaultProxyPort}`,
  ],
};
