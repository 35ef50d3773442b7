// eventloop4j examples tour: mutexExample, the JavaScript original of the Java port.
// The lines between 'seed: begin' and 'seed: end' are the seed document's code block, verbatim.
// --- seed: begin ---
// Semaphore for limiting concurrent operations
class Semaphore {
    constructor(maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
        this.currentConcurrency = 0;
        this.waitQueue = [];
    }
    
    async acquire() {
        if (this.currentConcurrency < this.maxConcurrency) {
            this.currentConcurrency++;
            return Promise.resolve();
        }
        
        return new Promise(resolve => {
            this.waitQueue.push(resolve);
        });
    }
    
    release() {
        this.currentConcurrency--;
        
        if (this.waitQueue.length > 0) {
            const nextResolve = this.waitQueue.shift();
            this.currentConcurrency++;
            nextResolve();
        }
    }
    
    async execute(task) {
        await this.acquire();
        try {
            return await task();
        } finally {
            this.release();
        }
    }
}

// Usage
async function semaphoreExample() {
    const semaphore = new Semaphore(3); // Max 3 concurrent operations
    
    const tasks = Array.from({ length: 10 }, (_, i) => 
        semaphore.execute(async () => {
            console.log(`Task ${i} started`);
            await new Promise(resolve => setTimeout(resolve, 1000));
            console.log(`Task ${i} completed`);
            return `Result ${i}`;
        })
    );
    
    const results = await Promise.all(tasks);
    console.log('All tasks completed:', results);
}

// Mutex for exclusive access
class Mutex {
    constructor() {
        this._locked = false;
        this._queue = [];
    }
    
    async lock() {
        if (!this._locked) {
            this._locked = true;
            return Promise.resolve();
        }
        
        return new Promise(resolve => {
            this._queue.push(resolve);
        });
    }
    
    unlock() {
        if (this._queue.length > 0) {
            const nextResolve = this._queue.shift();
            nextResolve();
        } else {
            this._locked = false;
        }
    }
    
    async execute(task) {
        await this.lock();
        try {
            return await task();
        } finally {
            this.unlock();
        }
    }
}
// --- seed: end ---

// Not in the seed, which defines Mutex but never uses it: three deposits that read the balance, wait,
// and write it back. Without the mutex the waits interleave and two deposits are lost; with it they
// run one after another.
async function mutexExample() {
    const mutex = new Mutex();
    let balance = 0;
    const deposit = async (who, amount) => {
        const current = balance;
        console.log(`${who} reads ${current}`);
        await new Promise(resolve => setTimeout(resolve, 100));
        balance = current + amount;
        console.log(`${who} writes ${balance}`);
    };

    console.log('Without the mutex:');
    await Promise.all([deposit('Alice', 10), deposit('Bob', 20), deposit('Carol', 30)]);
    console.log('Balance:', balance);

    balance = 0;
    console.log('With the mutex:');
    await Promise.all([
        mutex.execute(() => deposit('Alice', 10)),
        mutex.execute(() => deposit('Bob', 20)),
        mutex.execute(() => deposit('Carol', 30))
    ]);
    console.log('Balance:', balance);
}

mutexExample();
