// eventloop4j examples tour: sharedMemoryExample, the JavaScript original of the Java port.
// The lines between 'seed: begin' and 'seed: end' are the seed document's code block, verbatim.

// Not in the seed: the seed targets browsers (Worker, Blob URLs, self.onmessage). This shim gives Node
// those names on top of worker_threads, so the seed's code below runs unchanged.
const { Worker: ThreadWorker } = require('node:worker_threads');
const blobSources = new Map();
globalThis.Blob = class Blob {
    constructor(parts) { this.source = parts.join(''); }
};
URL.createObjectURL = (blob) => {
    const url = `blob:tour/${blobSources.size}`;
    blobSources.set(url, blob.source);
    return url;
};
URL.revokeObjectURL = (url) => { blobSources.delete(url); };
const workerPrelude = `
    const { parentPort } = require('node:worker_threads');
    const self = { postMessage: (data) => parentPort.postMessage(data) };
    parentPort.on('message', (data) => self.onmessage({ data }));
`;
globalThis.Worker = class Worker {
    constructor(url) {
        this.thread = new ThreadWorker(workerPrelude + blobSources.get(url), { eval: true });
        this.thread.on('message', (data) => this.onmessage && this.onmessage({ data }));
        this.thread.on('error', (error) => this.onerror && this.onerror(error));
    }
    postMessage(data) { this.thread.postMessage(data); }
    terminate() { this.thread.terminate(); }
};

// --- seed: begin ---
// Shared memory between workers
class SharedMemoryProcessor {
    constructor(size = 1024) {
        this.sharedBuffer = new SharedArrayBuffer(size);
        this.sharedArray = new Int32Array(this.sharedBuffer);
        this.workers = [];
    }
    
    createWorker() {
        const workerScript = `
            self.onmessage = function(event) {
                const { sharedBuffer, startIndex, length } = event.data;
                const sharedArray = new Int32Array(sharedBuffer);
                
                // Process shared memory
                for (let i = startIndex; i < startIndex + length; i++) {
                    // Atomic operation
                    Atomics.add(sharedArray, i, 1);
                }
                
                self.postMessage({ done: true });
            };
        `;
        
        const blob = new Blob([workerScript], { type: 'application/javascript' });
        const worker = new Worker(URL.createObjectURL(blob));
        this.workers.push(worker);
        return worker;
    }
    
    async processParallel() {
        const chunkSize = this.sharedArray.length / 4;
        const workers = [];
        
        for (let i = 0; i < 4; i++) {
            const worker = this.createWorker();
            const promise = new Promise(resolve => {
                worker.onmessage = () => resolve();
            });
            
            worker.postMessage({
                sharedBuffer: this.sharedBuffer,
                startIndex: i * chunkSize,
                length: chunkSize
            });
            
            workers.push(promise);
        }
        
        await Promise.all(workers);
        return this.sharedArray;
    }
    
    terminate() {
        this.workers.forEach(worker => worker.terminate());
        this.workers = [];
    }
}

// Usage
async function sharedMemoryExample() {
    const processor = new SharedMemoryProcessor(4096);
    
    try {
        const result = await processor.processParallel();
        console.log('Shared array result:', result);
    } finally {
        processor.terminate();
    }
}
// --- seed: end ---

// Not in the seed: run it.
sharedMemoryExample();
