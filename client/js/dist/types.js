// The wire frame (PROTOCOL.md) and the client's options, as TypeScript types.
export {};
