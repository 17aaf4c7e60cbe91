// Stylesheets are imported for their side effect; vite emits them as a CSS asset.
declare module '*.css';
