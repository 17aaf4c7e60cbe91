import { defineConfig, type Plugin } from 'vite';

/**
 * Escapes every non-ASCII character of the bundle as `\uXXXX`. A classic script is decoded
 * with the host page's charset unless the server says otherwise, so "…" would turn into
 * "â€¦" on a windows-1252 page. Outside comments, non-ASCII can only occur in string,
 * template and regex literals (and identifiers), where the escape means the same.
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
 * One self-contained classic script, `dist/widget.js`, that site owners embed with a
 * `<script async>` tag. IIFE so nothing leaks into the host's scope; the entry exports
 * nothing, so the IIFE assigns no global either (`window.Parley` is set on purpose by
 * `src/api.ts`). Styles are a string in JS (adopted into a shadow root), so no CSS file.
 */
export default defineConfig({
  plugins: [asciiOnly()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Evergreen browsers: the ones with constructable stylesheets and closed shadow roots.
    target: 'es2020',
    minify: true,
    sourcemap: false,
    copyPublicDir: false,
    lib: {
      entry: 'src/embed.ts',
      formats: ['iife'],
      // Required by vite for `iife`; unused because the entry has no exports.
      name: 'ParleyWidget',
      fileName: () => 'widget.js',
    },
  },
});
