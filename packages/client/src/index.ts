export { createParleyClient } from './client.ts';
export { createVisitorClient, type VisitorClientOptions } from './visitor.ts';
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
  VisitorClient,
} from './types.ts';
