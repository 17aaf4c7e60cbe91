/**
 * The panel's stylesheet, adopted into the shadow root next to the loader's (src/loader/launcher-css.ts,
 * which holds the launcher's looks); this one has the reset, the launcher's open state, badge and
 * hover, and the panel. Sizes are px, never rem; spacing on a 4 px grid. The
 * site's colour arrives as `--pw-accent` (+ `--pw-on-accent`); owners may also set
 * `--pw-panel-width`, `--pw-panel-height` and `--pw-radius` on `parley-widget` (docs/embedding.md).
 */
export const css = /* css */ `
*{box-sizing:border-box;margin:0;padding:0;font:inherit;color:inherit}
svg{stroke-linecap:round;stroke-linejoin:round}
.pw-root{color:#1f2937;text-align:start}
[hidden],.pw-open .pw-label{display:none!important}
:focus{outline:none}
:focus-visible{outline:2px solid var(--pw-accent);outline-offset:2px}
.pw-launcher{transition:transform .16s}
.pw-launcher:hover{transform:scale(1.05)}
.pw-badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;border-radius:10px;border:2px solid #fff;background:#dc2626;color:#fff;font-size:11px;font-weight:700;line-height:16px}
button:disabled{cursor:default}
.pw-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.pw-panel{position:fixed;right:var(--pw-x);bottom:calc(var(--pw-y) + 68px);z-index:2147483647;display:flex;flex-direction:column;width:var(--pw-panel-width,376px);height:var(--pw-panel-height,600px);max-height:calc(100vh - var(--pw-y) - 88px);border-radius:var(--pw-radius,16px);overflow:hidden;background:#fff;box-shadow:0 4px 12px rgba(17,24,39,.08),0 16px 48px rgba(17,24,39,.18);animation:pw-in .18s ease-out}
.pw-left .pw-panel{right:auto;left:var(--pw-x)}
@keyframes pw-in{from{opacity:0;transform:translateY(8px)}}
.pw-header{display:flex;align-items:center;gap:12px;padding:20px 16px 20px 20px;background:var(--pw-accent);color:var(--pw-on-accent)}
.pw-title{flex:1;min-width:0}
.pw-title h2{font-size:17px;font-weight:600;line-height:24px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.pw-title p{display:flex;align-items:center;gap:6px;font-size:13px;line-height:20px;opacity:.9}
.pw-dot{width:8px;height:8px;border-radius:50%;background:#9ca3af;box-shadow:0 0 0 2px rgba(255,255,255,.6)}
.pw-dot.pw-on{background:#22c55e}
.pw-minimize{display:none;width:40px;height:40px;align-items:center;justify-content:center;border-radius:8px}
.pw-minimize:focus-visible{outline-color:currentColor}
.pw-status,.pw-note{padding:6px 20px;background:#fef3c7;color:#92400e;font-size:12px;text-align:center}
.pw-note{background:#f3f4f6;color:#4b5563}
.pw-log{flex:1;display:flex;flex-direction:column;gap:8px;padding:16px;overflow-y:auto;overscroll-behavior:contain;background:#f9fafb}
.pw-log:focus-visible{outline-offset:-2px}
.pw-greeting{align-self:flex-start;max-width:85%;padding:12px 16px;border-radius:16px;background:#fff;box-shadow:0 1px 2px rgba(17,24,39,.08);color:#374151;white-space:pre-wrap}
.pw-msg{display:flex;flex-direction:column;align-items:flex-start;max-width:85%;gap:4px}
.pw-own{align-self:flex-end;align-items:flex-end}
.pw-system{align-self:center;align-items:center;color:#6b7280;font-size:13px}
.pw-author{padding:0 4px;font-size:12px;font-weight:500;color:#6b7280}
.pw-bubble{padding:8px 12px;border-radius:16px 16px 16px 4px;background:#fff;box-shadow:0 1px 2px rgba(17,24,39,.08);white-space:pre-wrap;overflow-wrap:anywhere;font-size:14px;line-height:20px}
.pw-own .pw-bubble{border-radius:16px 16px 4px 16px;background:var(--pw-accent);color:var(--pw-on-accent);box-shadow:none}
[dir=rtl] .pw-bubble{border-radius:16px 16px 4px 16px}
[dir=rtl] .pw-own .pw-bubble{border-radius:16px 16px 16px 4px}
.pw-failed .pw-bubble{opacity:.6}
.pw-system .pw-bubble{background:none;box-shadow:none}
.pw-bubble a{color:inherit;text-decoration:underline;text-underline-offset:2px}
.pw-meta{display:flex;align-items:center;gap:4px;padding:0 4px;font-size:12px;line-height:16px;color:#6b7280}
.pw-failed .pw-meta{color:#b91c1c}
.pw-retry{margin-inline-start:4px;padding:0 4px;border-radius:4px;font-weight:600;color:#b91c1c;text-decoration:underline}
.pw-typing{padding:0 4px;font-size:12px;color:#6b7280;font-style:italic}
.pw-composer{display:flex;align-items:flex-end;gap:8px;padding:12px;border-top:1px solid #e5e7eb;background:#fff}
.pw-input{flex:1;min-height:40px;max-height:120px;padding:9px 12px;border:1px solid #d1d5db;border-radius:12px;background:#fff;color:#111827;font-size:14px;line-height:20px;resize:none;overflow-y:auto}
.pw-input::placeholder{color:#9ca3af;opacity:1}
.pw-input:focus-visible{outline-offset:0;border-color:var(--pw-accent)}
.pw-send{display:flex;align-items:center;justify-content:center;width:40px;height:40px;border-radius:12px;background:var(--pw-accent);color:var(--pw-on-accent)}
[dir=rtl] .pw-send svg{transform:scaleX(-1)}
.pw-send svg{width:20px;height:20px}
.pw-send:disabled{opacity:.4}
@media (max-width:639.98px){
.pw-open .pw-launcher{display:none}
.pw-panel{inset:0;width:auto;height:auto;max-height:none;border-radius:0;animation:none}
.pw-left .pw-panel{left:0}
.pw-minimize{display:flex}
.pw-input{font-size:16px}
}
@media (prefers-reduced-motion:reduce){.pw-panel{animation:none}}
`;
