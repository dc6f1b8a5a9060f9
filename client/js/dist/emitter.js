// A small typed event emitter: handlers run in the order they were added, one
// throwing does not stop the others.
export class Emitter {
    constructor() {
        this.handlers = {};
    }
    on(event, fn) {
        var _a;
        ((_a = this.handlers)[event] ?? (_a[event] = [])).push(fn);
        return () => this.off(event, fn);
    }
    off(event, fn) {
        const list = this.handlers[event];
        if (!list)
            return;
        const i = list.indexOf(fn);
        if (i >= 0)
            list.splice(i, 1);
    }
    /**
     * emit calls every handler of event with value. It returns what they
     * returned (a handler may return a promise) and what they threw.
     */
    emit(event, value) {
        const results = [];
        const thrown = [];
        for (const fn of [...(this.handlers[event] ?? [])]) {
            try {
                results.push(fn(value));
            }
            catch (e) {
                thrown.push(e);
            }
        }
        return { results, thrown };
    }
}
