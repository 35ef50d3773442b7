// eventloop4j examples tour: producerConsumerExample, the JavaScript original of the Java port.
// The lines between 'seed: begin' and 'seed: end' are the seed document's code block, verbatim.

// Not in the seed: Math.random seeded (mulberry32, seed 2025) so that the run is reproducible; the Java
// port draws from the same generator.
function mulberry32(seed) {
    let a = seed;
    return function () {
        a |= 0; a = a + 0x6D2B79F5 | 0;
        let t = Math.imul(a ^ a >>> 15, 1 | a);
        t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
        return ((t ^ t >>> 14) >>> 0) / 4294967296;
    };
}
Math.random = mulberry32(2025);

// --- seed: begin ---
// Producer-Consumer with async queue
class AsyncQueue {
    constructor() {
        this.items = [];
        this.consumerPromises = [];
        this.closed = false;
    }
    
    async push(item) {
        if (this.closed) {
            throw new Error('Queue is closed');
        }
        
        if (this.consumerPromises.length > 0) {
            const resolve = this.consumerPromises.shift();
            resolve({ value: item, done: false });
        } else {
            this.items.push(item);
        }
    }
    
    async pop() {
        if (this.items.length > 0) {
            return { value: this.items.shift(), done: false };
        }
        
        if (this.closed) {
            return { value: undefined, done: true };
        }
        
        return new Promise(resolve => {
            this.consumerPromises.push(resolve);
        });
    }
    
    close() {
        this.closed = true;
        this.consumerPromises.forEach(resolve => 
            resolve({ value: undefined, done: true })
        );
        this.consumerPromises = [];
    }
    
    [Symbol.asyncIterator]() {
        return this;
    }
    
    async next() {
        return this.pop();
    }
}

// Producer function
async function producer(queue, items) {
    for (const item of items) {
        await new Promise(resolve => setTimeout(resolve, Math.random() * 1000));
        await queue.push(item);
        console.log('Produced:', item);
    }
    queue.close();
}

// Consumer function
async function consumer(queue, id) {
    for await (const item of queue) {
        console.log(`Consumer ${id} consumed:`, item);
        await new Promise(resolve => setTimeout(resolve, Math.random() * 500));
    }
    console.log(`Consumer ${id} finished`);
}

// Usage
async function producerConsumerExample() {
    const queue = new AsyncQueue();
    const items = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    
    // Start producers and consumers
    const producerPromise = producer(queue, items);
    const consumerPromises = [
        consumer(queue, 1),
        consumer(queue, 2)
    ];
    
    await Promise.all([producerPromise, ...consumerPromises]);
    console.log('Producer-consumer example completed');
}
// --- seed: end ---

// Not in the seed: run it.
producerConsumerExample();
