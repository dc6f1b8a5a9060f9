export type Handler<T> = (value: T) => unknown;
export declare class Emitter<Events extends {
    [K in keyof Events]: unknown;
}> {
    private readonly handlers;
    on<K extends keyof Events>(event: K, fn: Handler<Events[K]>): () => void;
    off<K extends keyof Events>(event: K, fn: Handler<Events[K]>): void;
    /**
     * emit calls every handler of event with value. It returns what they
     * returned (a handler may return a promise) and what they threw.
     */
    emit<K extends keyof Events>(event: K, value: Events[K]): {
        results: unknown[];
        thrown: unknown[];
    };
}
