// The seed's "Async Iterators and Transform Streams" section, verbatim, plus the two calls it leaves out.
// Ported in org.eventloop4j.stream.SeedTransformTest; the expected output below is Node 20's.

// Custom async iterator
class AsyncDataSource {
    constructor(data) {
        this.data = data;
        this.index = 0;
    }

    async next() {
        if (this.index >= this.data.length) {
            return { done: true, value: undefined };
        }

        // Simulate async operation
        await new Promise(resolve => setTimeout(resolve, 100));
        return {
            done: false,
            value: this.data[this.index++]
        };
    }

    [Symbol.asyncIterator]() {
        return this;
    }
}

// Using async iterator
async function processAsyncData() {
    const source = new AsyncDataSource([1, 2, 3, 4, 5]);

    for await (const item of source) {
        console.log('Processing:', item);
    }
}

// Transform stream pattern
class AsyncTransform {
    constructor(transformFn) {
        this.transformFn = transformFn;
    }

    async *process(source) {
        for await (const item of source) {
            const transformed = await this.transformFn(item);
            yield transformed;
        }
    }
}

// Usage
const numbers = new AsyncDataSource([1, 2, 3, 4, 5]);
const doubler = new AsyncTransform(async (x) => {
    await new Promise(resolve => setTimeout(resolve, 50));
    return x * 2;
});

async function runTransform() {
    for await (const result of doubler.process(numbers)) {
        console.log('Transformed:', result);
    }
}

// Not in the seed: run both, one after the other. (The Java port also checks the timeline, 500 ms
// then 750 ms, on virtual time; wall-clock times are left out here so the output cannot flake.)
(async () => {
    await processAsyncData();
    await runTransform();
})();
