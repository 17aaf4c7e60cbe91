import { nanoid } from 'nanoid';

/** Row ids: 21 URL-safe characters, as the protocol's `Id` accepts. */
export const newId = (): string => nanoid();
