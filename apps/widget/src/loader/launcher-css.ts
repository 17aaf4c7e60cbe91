/**
 * The loader's stylesheet: the reset and the launcher, all the page shows before the panel chunk
 * arrives (the panel adds its own, with the badge, the open state and the hover). `:host { all: initial }`
 * drops every inherited property a host page sets (a 62.5% root font size, `* { line-height: 3 }`);
 * sizes are px, never rem. Owners may set `--pw-offset-x` / `--pw-offset-y` on `parley-widget`
 * (docs/embedding.md); `--pw-accent` / `--pw-on-accent` come from the site's appearance (`theme`).
 */
export const launcherCss = /* css */ `
:host{all:initial!important}
.pw-root{--pw-accent:#4f46e5;--pw-on-accent:#fff;--pw-x:var(--pw-offset-x,20px);--pw-y:var(--pw-offset-y,20px);font:14px/1.45 system-ui,sans-serif}
.pw-gone .pw-launcher,.pw-label:empty{display:none!important}
button{font:inherit;cursor:pointer;border:0;background:none}
svg{flex:none;width:24px;height:24px;fill:none;stroke:currentColor;stroke-width:2}
.pw-launcher{position:fixed;right:var(--pw-x);bottom:var(--pw-y);z-index:2147483647;display:flex;align-items:center;gap:8px;height:56px;padding:0 16px;border-radius:28px;background:var(--pw-accent);color:var(--pw-on-accent);font-weight:600;font-size:15px;box-shadow:0 6px 24px #1118273d}
.pw-left .pw-launcher{right:auto;left:var(--pw-x)}
`;
