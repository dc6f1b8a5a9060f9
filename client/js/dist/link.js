// A link is one connection attempt over one transport. It reports to the
// client through LinkEvents, and reports closed exactly once, whether it
// opened or not. A link the client closed itself still reports closed; the
// client ignores reports from links that are no longer its current one.
export {};
