// eventloop4j examples tour: parallelProcessingExample, the JavaScript original of the Java port.
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
// Main thread worker management
class WorkerPool {
    constructor(workerScript, poolSize = 4) {
        this.workerScript = workerScript;
        this.poolSize = poolSize;
        this.workers = [];
        this.taskQueue = [];
        this.activeJobs = new Map();
        this.jobIdCounter = 0;
        
        this.initializeWorkers();
    }
    
    initializeWorkers() {
        for (let i = 0; i < this.poolSize; i++) {
            const worker = new Worker(this.workerScript);
            worker.onmessage = (event) => this.handleWorkerMessage(worker, event);
            worker.onerror = (error) => this.handleWorkerError(worker, error);
            this.workers.push({ worker, busy: false });
        }
    }
    
    handleWorkerMessage(worker, event) {
        const { jobId, result, error } = event.data;
        const workerObj = this.workers.find(w => w.worker === worker);
        
        if (workerObj) {
            workerObj.busy = false;
        }
        
        const job = this.activeJobs.get(jobId);
        if (job) {
            this.activeJobs.delete(jobId);
            if (error) {
                job.reject(error);
            } else {
                job.resolve(result);
            }
        }
        
        this.processQueue();
    }
    
    handleWorkerError(worker, error) {
        console.error('Worker error:', error);
        const workerObj = this.workers.find(w => w.worker === worker);
        if (workerObj) {
            workerObj.busy = false;
        }
        this.processQueue();
    }
    
    async execute(data) {
        return new Promise((resolve, reject) => {
            const jobId = this.jobIdCounter++;
            this.activeJobs.set(jobId, { resolve, reject });
            this.taskQueue.push({ jobId, data });
            this.processQueue();
        });
    }
    
    processQueue() {
        const availableWorker = this.workers.find(w => !w.busy);
        if (availableWorker && this.taskQueue.length > 0) {
            const task = this.taskQueue.shift();
            availableWorker.busy = true;
            availableWorker.worker.postMessage({
                jobId: task.jobId,
                data: task.data
            });
        }
    }
    
    terminate() {
        this.workers.forEach(({ worker }) => worker.terminate());
        this.workers = [];
        this.taskQueue = [];
        this.activeJobs.clear();
    }
}

// Worker script content
const workerScript = `
    self.onmessage = function(event) {
        const { jobId, data } = event.data;
        
        try {
            // CPU-intensive task
            const result = heavyComputation(data);
            self.postMessage({ jobId, result });
        } catch (error) {
            self.postMessage({ jobId, error: error.message });
        }
    };
    
    function heavyComputation(data) {
        // Simulate heavy computation
        let result = 0;
        for (let i = 0; i < data.iterations; i++) {
            result += Math.sqrt(i) * Math.sin(i);
        }
        return result;
    }
`;

// Usage
async function parallelProcessingExample() {
    const blob = new Blob([workerScript], { type: 'application/javascript' });
    const workerUrl = URL.createObjectURL(blob);
    const pool = new WorkerPool(workerUrl, 4);
    
    try {
        const tasks = [
            { iterations: 1000000 },
            { iterations: 2000000 },
            { iterations: 1500000 },
            { iterations: 3000000 }
        ];
        
        const results = await Promise.all(
            tasks.map(task => pool.execute(task))
        );
        
        console.log('Parallel results:', results);
    } finally {
        pool.terminate();
        URL.revokeObjectURL(workerUrl);
    }
}
// --- seed: end ---

// Not in the seed: run it.
parallelProcessingExample();
