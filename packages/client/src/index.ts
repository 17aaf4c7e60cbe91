export { createParleyClient } from './client.ts';
export { DEFAULTS } from './defaults.ts';
export { ParleyClientError } from './types.ts';
export type {
  ClientEvents,
  ClientOptions,
  ClientStatus,
  HelloIdentity,
  ParleyClient,
  PendingSend,
  SendInput,
  SocketLike,
  UpdatePatch,
} from './types.ts';
