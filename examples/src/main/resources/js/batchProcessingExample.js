// eventloop4j examples tour: batchProcessingExample, the JavaScript original of the Java port.
// The lines between 'seed: begin' and 'seed: end' are the seed document's code block, verbatim.
// --- seed: begin ---
// Batch processor for efficient operations
class BatchProcessor {
    constructor(options = {}) {
        this.batchSize = options.batchSize || 10;
        this.batchTimeout = options.batchTimeout || 1000;
        this.processFn = options.processFn;
        
        this.currentBatch = [];
        this.timeoutId = null;
        this.processingPromise = null;
    }
    
    async add(item) {
        this.currentBatch.push(item);
        
        if (this.currentBatch.length >= this.batchSize) {
            return this.processBatch();
        }
        
        if (!this.timeoutId) {
            this.timeoutId = setTimeout(() => {
                this.processBatch();
            }, this.batchTimeout);
        }
        
        // Wait for processing if we're currently processing
        if (this.processingPromise) {
            await this.processingPromise;
        }
    }
    
    async processBatch() {
        if (this.currentBatch.length === 0) {
            return;
        }
        
        if (this.timeoutId) {
            clearTimeout(this.timeoutId);
            this.timeoutId = null;
        }
        
        const batch = [...this.currentBatch];
        this.currentBatch = [];
        
        this.processingPromise = this.processFn(batch);
        
        try {
            await this.processingPromise;
        } finally {
            this.processingPromise = null;
        }
    }
    
    async flush() {
        await this.processBatch();
    }
}

// Usage
async function batchProcessingExample() {
    const batchProcessor = new BatchProcessor({
        batchSize: 3,
        batchTimeout: 2000,
        processFn: async (batch) => {
            console.log('Processing batch:', batch);
            await new Promise(resolve => setTimeout(resolve, 500));
            console.log('Batch processed:', batch);
        }
    });
    
    // Add items
    for (let i = 0; i < 8; i++) {
        await batchProcessor.add(i);
        await new Promise(resolve => setTimeout(resolve, 300));
    }
    
    // Flush remaining items
    await batchProcessor.flush();
    console.log('Batch processing completed');
}
// --- seed: end ---

// Not in the seed: run it.
batchProcessingExample();
