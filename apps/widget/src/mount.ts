/**
 * Creates the widget's host element at the end of <body>, with a shadow root: host styles
 * cannot leak in. The root is open on purpose: a closed one protects nothing from a host page
 * (its scripts run first and can wrap `attachShadow`), while it hides the widget from
 * automation and accessibility tooling that site owners and we test with.
 * Returns the element to render into.
 */
export function mountShadow(doc: Document, css: string): HTMLElement {
  // A custom element name, so host rules on `div` or `section` never match the host itself.
  const host = doc.createElement('parley-widget');
  const shadow = host.attachShadow({ mode: 'open' });
  if ('adoptedStyleSheets' in shadow && 'replaceSync' in CSSStyleSheet.prototype) {
    // Constructable: a host CSP without 'unsafe-inline' blocks <style> elements, not these.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    shadow.adoptedStyleSheets = [sheet];
  } else {
    // Browsers before constructable stylesheets (Safari < 16.4).
    const style = doc.createElement('style');
    style.textContent = css;
    shadow.append(style);
  }
  const root = doc.createElement('div');
  shadow.append(root);
  doc.body.append(host);
  return root;
}
