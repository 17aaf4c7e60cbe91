import { CHAT_ICON, type Host, type ThemeInput } from '../host.ts';
import { launcherCss } from './launcher-css.ts';

const SVG = 'http://www.w3.org/2000/svg';

/**
 * Creates `<parley-widget>` at the end of <body> with an open shadow root, the launcher in it, and
 * the site's cached colours on it. The root is open: a closed one protects nothing from a host page
 * (its scripts run first and can wrap `attachShadow`), while it hides the widget from automation and
 * assistive tooling (docs/embedding.md). `shadowed: false` (component tests) renders into the light DOM.
 */
export function createHost(
  doc: Document,
  siteKey: string,
  onToggle: () => void,
  onIntent: () => void,
  shadowed = true,
): Host {
  const element = doc.createElement('parley-widget');
  const shadow = shadowed ? element.attachShadow({ mode: 'open' }) : (element as unknown as ShadowRoot);
  const root = doc.createElement('div');
  const launcher = doc.createElement('button');
  const label = doc.createElement('span');
  const svg = doc.createElementNS(SVG, 'svg');
  const icon = doc.createElementNS(SVG, 'path');
  // Constructable stylesheets (every browser since Safari 16.4): a host CSP without
  // 'unsafe-inline' blocks <style> elements, not these.
  const adopt = (css: string) => {
    if (!shadowed) return;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, sheet];
  };
  // An invalid colour sets '' (removes the property): the stylesheet's default shows instead.
  const colour = (name: string, value: unknown) =>
    root.style.setProperty(name, typeof value === 'string' && /^#[\da-f]{6}$/i.test(value) ? value : '');
  const theme = (a: ThemeInput | null | undefined) => {
    colour('--pw-accent', a?.color);
    colour('--pw-on-accent', a?.onAccent);
    root.classList.toggle('pw-left', a?.position === 'left');
    // Hidden by `:empty` in the stylesheet when there is none.
    label.textContent = typeof a?.launcherLabel === 'string' ? a.launcherLabel.slice(0, 40) : '';
  };
  root.className = 'pw-root';
  launcher.className = 'pw-launcher';
  label.className = 'pw-label';
  // The panel adds `aria-expanded` and keeps the name in step (open, close, unread).
  launcher.ariaLabel = 'Open chat';
  svg.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('d', CHAT_ICON);
  svg.append(icon);
  launcher.append(svg, label);
  launcher.onclick = onToggle;
  // Warm up on intent: the panel chunk is usually in before the click lands.
  launcher.onpointerenter = launcher.onfocus = onIntent;
  root.append(launcher);
  shadow.append(root);
  adopt(launcherCss);
  try {
    theme(JSON.parse(localStorage.getItem(`parley:${siteKey}:appearance`) ?? 'null'));
  } catch {
    theme(undefined);
  }
  doc.body.append(element);
  return { siteKey, root, launcher, icon, adopt, theme };
}
