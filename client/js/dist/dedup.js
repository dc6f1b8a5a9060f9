// The ids already handed to the 'message' handlers, bounded: the oldest id is
// forgotten when the window is full. A Map keeps insertion order, so the first
// key is the oldest.
export class SeenIds {
    constructor(limit) {
        this.limit = limit;
        this.ids = new Map();
    }
    get(id) {
        return this.ids.get(id);
    }
    /** add remembers id (as new) and returns its entry. */
    add(id) {
        const entry = {};
        this.ids.set(id, entry);
        while (this.ids.size > this.limit) {
            const oldest = this.ids.keys().next().value;
            this.ids.delete(oldest);
        }
        return entry;
    }
    get size() {
        return this.ids.size;
    }
}
