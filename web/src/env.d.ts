/** The web app's version (web/package.json), set at build time by vite.config.ts. */
declare const __HELPDESK_WEB_VERSION__: string
