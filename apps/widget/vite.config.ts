import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin } from 'vite';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

/**
 * Escapes every non-ASCII character of the loader as `\uXXXX`. A classic script is decoded
 * with the host page's charset unless the server says otherwise, so "…" would turn into
 * "â€¦" on a windows-1252 page. Outside comments, non-ASCII can only occur in string,
 * template and regex literals (and identifiers), where the escape means the same. The panel
 * and its chunks are module scripts, always decoded as UTF-8, so they stay UTF-8 (an escaped
 * Arabic locale is a tenth bigger gzipped).
 */
function asciiOnly(): Plugin {
  return {
    name: 'parley:ascii-only',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        chunk.code = chunk.code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      }
    },
  };
}

/**
 * Stylesheets are strings in JS, tagged `/* css *\/` and already written one rule per line; this
 * drops the line breaks (and the indentation around them) at build time. Nothing else in them is
 * whitespace-sensitive across a line break.
 */
function minifyCss(): Plugin {
  return {
    name: 'parley:minify-css',
    enforce: 'pre',
    transform(code, id) {
      if (!id.includes('/src/') || !code.includes('/* css */')) return null;
      return code.replace(/\/\* css \*\/ `([^`]*)`/g, (_, css: string) => `\`${css.replace(/\s*\n\s*/g, '')}\``);
    },
  };
}

/**
 * The widget's runtime never imports `@parley/protocol`'s schemas: the protocol's index evaluates
 * every valibot schema at load (about 5 KB gzip the tree-shaker cannot drop). `@parley/client`
 * needs only `PROTOCOL_VERSION` and a default frame parser from it, and the widget passes its own
 * light parser (`src/wire.ts`), so the bundle resolves `@parley/protocol` to that file. Types
 * still come from the real package (tsc does not see this alias).
 */
const protocolLite = { '@parley/protocol': src('wire.ts') };

/**
 * After the panel build: builds the loader, `dist/widget.js`, a classic IIFE script that site
 * owners embed, with the panel chunk's hashed path baked in.
 */
function buildLoader(): Plugin {
  let panelFile = '';
  return {
    name: 'parley:loader',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) if (chunk.type === 'chunk' && chunk.isEntry) panelFile = chunk.fileName;
    },
    async closeBundle() {
      await build({
        configFile: false,
        logLevel: 'warn',
        plugins: [minifyCss(), asciiOnly()],
        define: { __PARLEY_PANEL__: JSON.stringify(`./${panelFile}`) },
        build: {
          outDir: 'dist',
          emptyOutDir: false,
          target: 'es2022',
          minify: true,
          copyPublicDir: false,
          lib: { entry: src('loader/index.ts'), formats: ['iife'], name: 'ParleyWidget', fileName: () => 'widget.js' },
        },
      });
    },
  };
}

/**
 * Two outputs, both served by the relay:
 * - `dist/widget.js`: the loader (see `buildLoader`), the only file every page view downloads.
 * - `dist/widget/panel-<hash>.js` and its lazy chunks (`<xx>-<hash>.js` locales, `EmailForm-`,
 *   `identity-`, `beep-<hash>.js`): ES modules imported on demand. Content-hashed, so the relay
 *   serves them immutable. The lazy chunks import what they share from the panel chunk itself
 *   (`allow-extension` lets it export more than `mount`), never from a shared chunk of their own.
 * The panel is built in library mode: vite then wraps no `import()` in its `__vitePreload` helper
 * (preloading for chunks that have no dependencies to preload; 0.7 KB gzip here). Library mode
 * would keep whitespace and `@__PURE__` comments in an ES build, hence `minify` and `comments` below.
 * Styles are strings in JS (adopted into the shadow root), so there is no CSS file.
 */
export default defineConfig({
  plugins: [minifyCss(), buildLoader()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { alias: protocolLite },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Evergreen browsers: the ones with constructable stylesheets (Safari 16.4+), so ES2022 class fields need no helpers.
    target: 'es2022',
    minify: true,
    sourcemap: false,
    copyPublicDir: false,
    modulePreload: false,
    lib: { entry: { panel: src('panel.ts') }, formats: ['es'] },
    rollupOptions: {
      preserveEntrySignatures: 'allow-extension',
      output: {
        minify: true,
        comments: false,
        format: 'es',
        entryFileNames: 'widget/[name]-[hash].js',
        chunkFileNames: 'widget/[name]-[hash].js',
      },
    },
  },
});
