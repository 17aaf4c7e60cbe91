import { cleanup } from '@testing-library/preact';
import { afterEach } from 'vitest';

// vitest runs without globals here, so @testing-library cannot register its own cleanup.
afterEach(() => {
  cleanup();
  document.title = '';
});
