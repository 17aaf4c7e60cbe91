/**
 * The widget's whole stylesheet, adopted into its shadow root as a constructable stylesheet
 * (no <style> element, so a host CSP without 'unsafe-inline' does not block it).
 *
 * Host pages fight back: `:host { all: initial }` drops every inherited property (a 62.5%
 * root font size, `* { line-height: 3 }`), and sizes are in px, never rem or em-from-the-host.
 * Spacing is on a 4 px grid. The site's colour arrives as `--pw-accent` (+ `--pw-on-accent`).
 */
export const css = /* css */ `
:host{all:initial!important}
.pw-root{font:400 14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2937;-webkit-font-smoothing:antialiased;-webkit-text-size-adjust:100%;text-align:left}
.pw-root *,.pw-root *::before,.pw-root *::after{box-sizing:border-box;margin:0;padding:0;font:inherit;color:inherit;letter-spacing:normal;text-transform:none}
[hidden]{display:none!important}
button{cursor:pointer;border:0;background:none;-webkit-appearance:none;appearance:none}
button:disabled{cursor:default}
:focus{outline:none}
:focus-visible{outline:2px solid var(--pw-accent);outline-offset:2px}
svg{display:block;flex:none}
.pw-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}

.pw-launcher{position:fixed;right:20px;bottom:20px;z-index:2147483647;display:flex;align-items:center;justify-content:center;width:56px;height:56px;border-radius:50%;background:var(--pw-accent);color:var(--pw-on-accent);box-shadow:0 4px 12px rgba(17,24,39,.16),0 12px 32px rgba(17,24,39,.12);transition:transform .16s ease}
.pw-launcher:hover{transform:scale(1.05)}
.pw-launcher:active{transform:scale(.97)}
.pw-launcher svg{width:28px;height:28px}
.pw-launcher:focus-visible{outline-offset:4px}
.pw-badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 4px;border-radius:10px;border:2px solid #fff;background:#dc2626;color:#fff;font-size:12px;font-weight:600;line-height:16px;text-align:center}

.pw-panel{position:fixed;right:20px;bottom:88px;z-index:2147483647;display:flex;flex-direction:column;width:360px;height:560px;max-height:calc(100vh - 108px);border-radius:16px;overflow:hidden;background:#fff;box-shadow:0 4px 12px rgba(17,24,39,.08),0 16px 48px rgba(17,24,39,.18);animation:pw-in .18s ease-out}
.pw-left .pw-launcher,.pw-left .pw-panel{right:auto;left:20px}
@keyframes pw-in{from{opacity:0;transform:translateY(8px)}}

.pw-header{display:flex;align-items:center;gap:12px;padding:16px 16px 16px 20px;background:var(--pw-accent);color:var(--pw-on-accent)}
.pw-title{flex:1;min-width:0}
.pw-title h2{font-size:16px;font-weight:600;line-height:24px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.pw-title p{font-size:13px;line-height:20px;opacity:.85}
.pw-minimize{display:none;width:40px;height:40px;align-items:center;justify-content:center;border-radius:8px}
.pw-minimize:focus-visible{outline-color:currentColor}
.pw-status{padding:4px 20px;background:#fef3c7;color:#92400e;font-size:12px;text-align:center}

.pw-log{flex:1;display:flex;flex-direction:column;gap:8px;padding:16px;overflow-y:auto;overscroll-behavior:contain;background:#f9fafb}
.pw-log:focus-visible{outline-offset:-2px}
.pw-greeting{align-self:flex-start;max-width:85%;padding:12px 16px;border-radius:16px;background:#fff;box-shadow:0 1px 2px rgba(17,24,39,.08);color:#374151;white-space:pre-wrap}
.pw-msg{display:flex;flex-direction:column;align-items:flex-start;max-width:85%;gap:4px}
.pw-own{align-self:flex-end;align-items:flex-end}
.pw-system{align-self:center;align-items:center;color:#6b7280;font-size:13px}
.pw-author{padding:0 4px;font-size:12px;font-weight:500;color:#6b7280}
.pw-bubble{padding:8px 12px;border-radius:16px 16px 16px 4px;background:#fff;box-shadow:0 1px 2px rgba(17,24,39,.08);white-space:pre-wrap;overflow-wrap:anywhere;font-size:14px;line-height:20px}
.pw-own .pw-bubble{border-radius:16px 16px 4px 16px;background:var(--pw-accent);color:var(--pw-on-accent);box-shadow:none}
.pw-failed .pw-bubble{opacity:.6}
.pw-system .pw-bubble{background:none;box-shadow:none}
.pw-bubble a{color:inherit;text-decoration:underline;text-underline-offset:2px}
.pw-meta{display:flex;align-items:center;gap:4px;padding:0 4px;font-size:12px;line-height:16px;color:#6b7280}
.pw-failed .pw-meta{color:#b91c1c}
.pw-retry{margin-left:4px;padding:0 4px;border-radius:4px;font-weight:600;color:#b91c1c;text-decoration:underline}
.pw-typing{padding:0 4px;font-size:12px;color:#6b7280;font-style:italic}

.pw-composer{display:flex;align-items:flex-end;gap:8px;padding:12px;border-top:1px solid #e5e7eb;background:#fff}
.pw-input{flex:1;min-height:40px;max-height:120px;padding:9px 12px;border:1px solid #d1d5db;border-radius:12px;background:#fff;color:#111827;font-size:14px;line-height:20px;resize:none;overflow-y:auto}
.pw-input::placeholder{color:#9ca3af;opacity:1}
.pw-input:focus-visible{outline-offset:0;border-color:var(--pw-accent)}
.pw-send{display:flex;align-items:center;justify-content:center;width:40px;height:40px;border-radius:12px;background:var(--pw-accent);color:var(--pw-on-accent)}
.pw-send svg{width:20px;height:20px}
.pw-send:disabled{opacity:.4}

@media (max-width:639.98px){
.pw-panel{inset:0;width:auto;height:auto;max-height:none;border-radius:0}
.pw-left .pw-panel{left:0}
.pw-open .pw-launcher{display:none}
.pw-minimize{display:flex}
.pw-input{font-size:16px}
}
@media (prefers-reduced-motion:reduce){.pw-panel{animation:none}.pw-launcher{transition:none}}
`;
