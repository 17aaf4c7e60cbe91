import { describe, expect, it } from 'vitest';
import { socketUrl } from './config.ts';

describe('socketUrl', () => {
  it("derives the socket from the panel chunk's URL: http→ws, https→wss, same host and prefix", () => {
    expect(socketUrl('http://localhost:3000/widget/panel-abc123.js')).toBe('ws://localhost:3000/ws/visitor');
    expect(socketUrl('https://chat.example.com/parley/widget/panel-abc123.js?v=2')).toBe('wss://chat.example.com/parley/ws/visitor');
  });
});
