/** CSS imported by the Qwidget arrives as a minified string (scripts/build.mjs), for its shadow root. */
declare module "*.css" {
  const css: string;
  export default css;
}

/** The widget bundle's path with its content hash, `/qwidget/app.js?v=…`, set by scripts/build.mjs. */
declare const QWIDGET_APP: string;
